package serve

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"

	"iamlab/scenarios"
)

// S3 Object Ownership and ACLs over the wire: the ?acl and
// ?ownershipControls sub-resources and the x-amz-acl and x-amz-grant-*
// headers.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html

// aclHeaders are the request headers that set an ACL and the sandbox
// option each becomes.
var aclHeaders = map[string]string{"X-Amz-Acl": "acl", "X-Amz-Grant-Read": "grant-read", "X-Amz-Grant-Write": "grant-write",
	"X-Amz-Grant-Read-Acp": "grant-read-acp", "X-Amz-Grant-Write-Acp": "grant-write-acp", "X-Amz-Grant-Full-Control": "grant-full-control"}

// s3ACLArgs adds the options of an ACL-setting request: its headers, or
// its XML body as the CLI's JSON.
func s3ACLArgs(w *wireRequest, set func(name, v string)) *wireError {
	switch w.op {
	case "PutObject", "PutBucketAcl", "PutObjectAcl":
	case "PutBucketOwnershipControls":
		var in struct {
			Rules []struct {
				ObjectOwnership string
			} `xml:"Rule"`
		}
		if err := xml.Unmarshal(w.body, &in); err != nil || len(in.Rules) != 1 {
			return badRequest("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
		}
		// The CLI's --ownership-controls JSON has the XML's shape.
		b, _ := json.Marshal(map[string]any{"Rules": in.Rules})
		set("ownership-controls", string(b))
		return nil
	default:
		return nil
	}
	headers := false
	for h, opt := range aclHeaders {
		if v := w.header.Get(h); v != "" {
			set(opt, v)
			headers = true
		}
	}
	if headers || w.op == "PutObject" || len(bytes.TrimSpace(w.body)) == 0 {
		return nil
	}
	policy, err := aclPolicyJSON(w.body)
	if err != nil {
		return badRequest("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	set("access-control-policy", policy)
	return nil
}

// xmlACL is S3's AccessControlPolicy document.
type xmlACL struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   struct {
		ID string
	}
	Grants []struct {
		Grantee struct {
			Type string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
			ID   string
			URI  string
		}
		Permission string
	} `xml:"AccessControlList>Grant"`
}

// aclPolicyJSON turns a PutBucketAcl/PutObjectAcl XML body into the
// CLI's --access-control-policy JSON.
func aclPolicyJSON(body []byte) (string, error) {
	var in xmlACL
	if err := xml.Unmarshal(body, &in); err != nil {
		return "", err
	}
	type grantee struct{ Type, ID, URI string }
	type grant struct {
		Grantee    grantee
		Permission string
	}
	out := struct {
		Grants []grant
		Owner  struct{ ID string }
	}{Grants: []grant{}}
	out.Owner.ID = in.Owner.ID
	for _, g := range in.Grants {
		out.Grants = append(out.Grants, grant{Grantee: grantee{Type: g.Grantee.Type, ID: g.Grantee.ID, URI: g.Grantee.URI}, Permission: g.Permission})
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// encodeS3ACL answers the ACL and ownership operations in S3's XML; nil
// for other operations.
func encodeS3ACL(w *wireRequest, o *scenarios.Outcome) *response {
	var b strings.Builder
	switch w.op {
	case "PutBucketAcl", "PutObjectAcl", "PutBucketOwnershipControls":
		return &response{status: http.StatusOK, header: http.Header{}}
	case "GetBucketAcl", "GetObjectAcl":
		var out struct {
			Owner  struct{ ID string }
			Grants []struct {
				Grantee    struct{ Type, ID, URI string }
				Permission string
			}
		}
		_ = json.Unmarshal([]byte(o.Output), &out)
		b.WriteString(`<AccessControlPolicy xmlns="` + namespaces["s3"] + `"><Owner><ID>` + esc(out.Owner.ID) + "</ID></Owner><AccessControlList>")
		for _, g := range out.Grants {
			b.WriteString(`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="` + esc(g.Grantee.Type) + `">`)
			if g.Grantee.Type == "Group" {
				b.WriteString("<URI>" + esc(g.Grantee.URI) + "</URI>")
			} else {
				b.WriteString("<ID>" + esc(g.Grantee.ID) + "</ID>")
			}
			b.WriteString("</Grantee><Permission>" + esc(g.Permission) + "</Permission></Grant>")
		}
		b.WriteString("</AccessControlList></AccessControlPolicy>")
	case "GetBucketOwnershipControls":
		var out struct {
			OwnershipControls struct {
				Rules []struct{ ObjectOwnership string }
			}
		}
		_ = json.Unmarshal([]byte(o.Output), &out)
		b.WriteString(`<OwnershipControls xmlns="` + namespaces["s3"] + `">`)
		for _, r := range out.OwnershipControls.Rules {
			b.WriteString("<Rule><ObjectOwnership>" + esc(r.ObjectOwnership) + "</ObjectOwnership></Rule>")
		}
		b.WriteString("</OwnershipControls>")
	default:
		return nil
	}
	return s3XML(b.String())
}
