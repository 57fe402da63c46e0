package serve

import (
	"encoding/json"
	"testing"
)

// FuzzACLPolicyXML: a PutBucketAcl/PutObjectAcl body never panics the
// decoder, and what it accepts becomes JSON the sandbox's
// --access-control-policy reads.
func FuzzACLPolicyXML(f *testing.F) {
	f.Add([]byte(`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>abc</ID></Owner><AccessControlList>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>` +
		`<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`))
	f.Add([]byte(`<AccessControlPolicy><AccessControlList><Grant/></AccessControlList></AccessControlPolicy>`))
	f.Add([]byte(`<OwnershipControls/>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := aclPolicyJSON(body)
		if err != nil {
			return
		}
		var v struct{ Grants []struct{ Permission string } }
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("aclPolicyJSON gave invalid JSON %q: %v", out, err)
		}
	})
}
