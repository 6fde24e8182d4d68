package sqldb_test

import "net/url"

var urlParse = url.Parse
