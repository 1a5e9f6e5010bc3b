package net_http

import rego.v1

deny contains msg if {
	resp := http.send({"method": "GET", "url": "http://169.254.169.254/latest/meta-data/"})
	msg := resp.raw_body
}
