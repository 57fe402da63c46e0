package awscli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"iamlab/engine/estate"
)

// S3 access points in the sandbox (issue 11, piece 4, in part). The s3api
// object commands take an access point's ARN in --bucket, as the real CLI
// does; these are the S3 Control commands that manage access points.
// https://docs.aws.amazon.com/cli/latest/reference/s3control/create-access-point.html
// https://docs.aws.amazon.com/cli/latest/reference/s3control/put-access-point-policy.html
var accessPointSpecs = []Spec{
	{Service: "s3control", Operation: "create-access-point", Required: []string{"account-id", "name", "bucket"}, Optional: []string{"vpc-configuration"},
		Help: "give a bucket an access point, reachable from the internet or, with --vpc-configuration VpcId=vpc-..., from one VPC only (s3:CreateAccessPoint)",
		Run:  createAccessPoint},
	{Service: "s3control", Operation: "get-access-point", Required: []string{"account-id", "name"},
		Help: "show an access point: its bucket and network origin (s3:GetAccessPoint)",
		Run:  getAccessPoint},
	{Service: "s3control", Operation: "get-access-point-policy", Required: []string{"account-id", "name"},
		Help: "show an access point's policy (s3:GetAccessPointPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			text, d, err := e.Estate.GetAccessPointPolicy(e.call(caller), c.Arg("account-id"), c.Arg("name"))
			if r.decided(d, err, "GetAccessPointPolicy") {
				r.Succeed(map[string]string{"Policy": text})
			}
		}},
	{Service: "s3control", Operation: "put-access-point-policy", Required: []string{"account-id", "name", "policy"},
		Help: "replace an access point's policy (s3:PutAccessPointPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			d, err := e.Estate.PutAccessPointPolicy(e.call(caller), c.Arg("account-id"), c.Arg("name"), c.Arg("policy"))
			r.decided(d, err, "PutAccessPointPolicy")
		}},
	{Service: "s3control", Operation: "delete-access-point-policy", Required: []string{"account-id", "name"},
		Help: "remove an access point's policy (s3:DeleteAccessPointPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			d, err := e.Estate.DeleteAccessPointPolicy(e.call(caller), c.Arg("account-id"), c.Arg("name"))
			r.decided(d, err, "DeleteAccessPointPolicy")
		}},
}

func createAccessPoint(e *Env, r *Result, caller estate.Caller, c *Command) {
	vpc, err := vpcConfiguration(c.Arg("vpc-configuration"))
	if err != nil {
		r.Code, r.Message = "ParamValidation", err.Error()
		return
	}
	arn, d, err := e.Estate.CreateAccessPoint(e.call(caller), c.Arg("account-id"), c.Arg("name"), c.Arg("bucket"), vpc)
	if r.decided(d, err, "CreateAccessPoint") {
		r.Succeed(map[string]string{"AccessPointArn": arn})
	}
}

func getAccessPoint(e *Env, r *Result, caller estate.Caller, c *Command) {
	ap, d, err := e.Estate.GetAccessPoint(e.call(caller), c.Arg("account-id"), c.Arg("name"))
	if !r.decided(d, err, "GetAccessPoint") {
		return
	}
	out := map[string]any{"Name": ap.Name, "Bucket": ap.Bucket, "NetworkOrigin": ap.NetworkOrigin, "AccessPointArn": ap.ARN}
	if ap.VPC != "" {
		out["VpcConfiguration"] = map[string]string{"VpcId": ap.VPC}
	}
	r.Succeed(out)
}

// vpcConfiguration reads --vpc-configuration: shorthand VpcId=vpc-... or
// JSON {"VpcId": "vpc-..."}; "" for none.
func vpcConfiguration(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	id, ok := strings.CutPrefix(v, "VpcId=")
	if t := strings.TrimSpace(v); strings.HasPrefix(t, "{") {
		var cfg struct{ VpcId string }
		ok = json.Unmarshal([]byte(t), &cfg) == nil
		id = cfg.VpcId
	}
	if !ok || !strings.HasPrefix(id, "vpc-") || len(id) < 5 || strings.ContainsAny(id, ", ") {
		return "", fmt.Errorf("--vpc-configuration: expected VpcId=vpc-... (or {\"VpcId\": \"vpc-...\"}), not %q", v)
	}
	return id, nil
}

// plainHTTP reads --endpoint-url: true for http://, false for https://.
// The real CLI sends the call to that URL as given, so http:// goes
// without TLS and the request's aws:SecureTransport is false.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-endpoints.html
func plainHTTP(v string) (bool, error) {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false, fmt.Errorf("--endpoint-url: %q is not a URL such as https://s3.us-east-1.amazonaws.com or http://s3.us-east-1.amazonaws.com", v)
	}
	return u.Scheme == "http", nil
}
