package awscli

import (
	"strings"
	"testing"
)

// FuzzVPCConfiguration: --vpc-configuration, shorthand or JSON, never
// panics, never fails without saying why, and what it accepts is a VPC ID
// that reads back the same in shorthand.
func FuzzVPCConfiguration(f *testing.F) {
	f.Add(`VpcId=vpc-0aa11bb2`)
	f.Add(`{"VpcId": "vpc-0aa11bb2"}`)
	f.Add(`VpcId=subnet-1`)
	f.Fuzz(func(t *testing.T, v string) {
		id, err := vpcConfiguration(v)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if v == "" {
			return
		}
		if !strings.HasPrefix(id, "vpc-") {
			t.Fatalf("vpcConfiguration(%q) = %q, not a VPC ID", v, id)
		}
		if again, err := vpcConfiguration("VpcId=" + id); err != nil || again != id {
			t.Fatalf("vpcConfiguration(VpcId=%s) = %q, %v", id, again, err)
		}
	})
}

func TestVPCConfiguration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"VpcId=vpc-0aa11bb2": "vpc-0aa11bb2", `{"VpcId": "vpc-1a2b3c"}`: "vpc-1a2b3c", "": ""} {
		if got, err := vpcConfiguration(in); err != nil || got != want {
			t.Errorf("vpcConfiguration(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"VpcId=subnet-1", `{"VpcId": 7}`, "vpc-0aa11bb2", `{"SubnetId": "vpc-1"}`} {
		if _, err := vpcConfiguration(bad); err == nil {
			t.Errorf("vpcConfiguration(%q) accepted it", bad)
		}
	}
}
