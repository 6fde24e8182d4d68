package validate

import "sync"

// Element names that compiled XPath expressions test for get process-wide
// integer ids, and tree nodes carry the id of their name, so that a node test
// compares two integers instead of two strings. Names no expression tests
// for get noNameID.
var nameReg = struct {
	sync.RWMutex
	ids map[qname]int32
}{ids: map[qname]int32{}}

const noNameID = -3

func registerName(n qname) int32 {
	nameReg.Lock()
	defer nameReg.Unlock()
	if id, ok := nameReg.ids[n]; ok {
		return id
	}
	id := int32(len(nameReg.ids))
	nameReg.ids[n] = id
	return id
}

func lookupName(n qname) int32 {
	nameReg.RLock()
	defer nameReg.RUnlock()
	if id, ok := nameReg.ids[n]; ok {
		return id
	}
	return noNameID
}

// nameRegSize tells whether names were registered since a path table was
// made (its ids would then be stale).
func nameRegSize() int {
	nameReg.RLock()
	defer nameReg.RUnlock()
	return len(nameReg.ids)
}
