package iati_test

import (
	"encoding/json"
	"strings"
)

// diff shows the first lines where two values' JSON differ.
func diff(a, b any) string {
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			lo := max(0, i-3)
			return "before: " + strings.Join(la[lo:min(len(la), i+3)], "\n") + "\nafter: " + strings.Join(lb[lo:min(len(lb), i+3)], "\n")
		}
	}
	return "same JSON, different values (times or nil and empty lists?)"
}
