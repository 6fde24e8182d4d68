package sqldb

import "os"

var filepathStat = os.Stat
