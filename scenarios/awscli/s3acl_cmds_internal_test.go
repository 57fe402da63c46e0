package awscli

import (
	"testing"
)

// FuzzACLOptions: --ownership-controls and --access-control-policy,
// shorthand or JSON, never panic and never fail without saying why.
func FuzzACLOptions(f *testing.F) {
	f.Add(`Rules=[{ObjectOwnership=ObjectWriter}]`)
	f.Add(`{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}`)
	f.Add(`{"Grants":[{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}],"Owner":{"ID":"x"}}`)
	f.Add(`{"Grants":[{"Grantee":{"Type":"AmazonCustomerByEmail"}}]}`)
	f.Fuzz(func(t *testing.T, v string) {
		if _, err := parseOwnershipControls(v); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		if _, err := parseAccessControlPolicy(v); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}

func TestRequestACL(t *testing.T) {
	t.Parallel()
	cmd := func(args map[string][]string) *Command { return &Command{Args: args} }
	l, err := requestACL(cmd(map[string][]string{"grant-read": {`uri="http://acs.amazonaws.com/groups/global/AllUsers"`}, "grant-full-control": {"id=111122223333"}}))
	if err != nil || len(l.Grants) != 2 {
		t.Fatalf("requestACL(--grant-read, --grant-full-control) = %+v, %v", l, err)
	}
	want := map[string]string{"READ": "http://acs.amazonaws.com/groups/global/AllUsers", "FULL_CONTROL": "111122223333"}
	for _, g := range l.Grants {
		if want[g.Permission] != g.Grantee {
			t.Errorf("grant %+v, want grantee %q", g, want[g.Permission])
		}
	}
	if l, err := requestACL(cmd(map[string][]string{"acl": {"bucket-owner-full-control"}})); err != nil || l.Canned != "bucket-owner-full-control" || l.Grants != nil {
		t.Errorf("requestACL(--acl) = %+v, %v", l, err)
	}
	for _, bad := range []map[string][]string{{}, {"acl": {"private"}, "grant-read": {"id=111122223333"}}, {"acl": {"world-readable"}}, {"grant-read": {"emailAddress=a@example.com"}}} {
		if _, err := requestACL(cmd(bad)); err == nil {
			t.Errorf("requestACL(%v) accepted it", bad)
		}
	}
	if o, err := parseOwnershipControls(`Rules=[{ObjectOwnership=BucketOwnerPreferred}]`); err != nil || o != "BucketOwnerPreferred" {
		t.Errorf("parseOwnershipControls(shorthand) = %q, %v", o, err)
	}
}
