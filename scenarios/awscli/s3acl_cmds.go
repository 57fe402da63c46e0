package awscli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// S3 Object Ownership and ACLs in the sandbox (issue 11, piece 4).
// https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-acl.html
// https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-ownership-controls.html

// grantOptions are the --grant-* options and the request header (and
// condition key) each sends.
var grantOptions = []string{"grant-full-control", "grant-read", "grant-read-acp", "grant-write", "grant-write-acp"}

func aclSpecs() []Spec {
	aclOpts := append([]string{"acl", "access-control-policy"}, grantOptions...)
	return []Spec{
		{Service: "s3api", Operation: "put-bucket-ownership-controls", Required: []string{"bucket", "ownership-controls"},
			Help: "set a bucket's Object Ownership: BucketOwnerEnforced (ACLs off), BucketOwnerPreferred or ObjectWriter (s3:PutBucketOwnershipControls)",
			Run:  putBucketOwnershipControls},
		{Service: "s3api", Operation: "get-bucket-ownership-controls", Required: []string{"bucket"},
			Help: "show a bucket's Object Ownership (s3:GetBucketOwnershipControls)", Run: getBucketOwnershipControls},
		{Service: "s3api", Operation: "put-bucket-acl", Required: []string{"bucket"}, Optional: aclOpts,
			Help: "set a bucket's ACL: a canned --acl, --grant-* lists or --access-control-policy (s3:PutBucketAcl)", Run: putACL(false)},
		{Service: "s3api", Operation: "get-bucket-acl", Required: []string{"bucket"},
			Help: "show a bucket's ACL and its owner's canonical ID (s3:GetBucketAcl)", Run: getACL(false)},
		{Service: "s3api", Operation: "put-object-acl", Required: []string{"bucket", "key"}, Optional: aclOpts,
			Help: "set an object's ACL (s3:PutObjectAcl)", Run: putACL(true)},
		{Service: "s3api", Operation: "get-object-acl", Required: []string{"bucket", "key"},
			Help: "show an object's ACL and owner (s3:GetObjectAcl)", Run: getACL(true)},
		{Service: "s3api", Operation: "list-buckets",
			Help: "list the caller's account's buckets and its canonical ID (s3:ListAllMyBuckets)", Run: listBuckets},
	}
}

// aclRequestKeys puts s3:x-amz-acl and s3:x-amz-grant-* in the request
// context when the command sends them.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
func aclRequestKeys(call *estate.Call, c *Command) {
	for _, opt := range append([]string{"acl"}, grantOptions...) {
		if !c.Has(opt) {
			continue
		}
		if call.Context == nil {
			call.Context = engine.Context{}
		}
		key := "s3:x-amz-" + opt
		call.Context.Set(key, c.Arg(opt))
	}
}

// requestACL reads the ACL a command sets: --acl, --grant-* or
// --access-control-policy, exactly one kind.
func requestACL(c *Command) (*estate.AccessControlList, error) {
	kinds := 0
	for _, o := range []string{"acl", "access-control-policy"} {
		if c.Has(o) {
			kinds++
		}
	}
	grants := slices.ContainsFunc(grantOptions, c.Has)
	if grants {
		kinds++
	}
	if kinds != 1 {
		return nil, fmt.Errorf("give one of --acl, --grant-* options or --access-control-policy")
	}
	switch {
	case c.Has("acl"):
		if !slices.Contains(engine.CannedACLs, c.Arg("acl")) {
			return nil, fmt.Errorf("--acl: %q is not a canned ACL; S3's are %s", c.Arg("acl"), strings.Join(engine.CannedACLs, ", "))
		}
		return &estate.AccessControlList{Canned: c.Arg("acl")}, nil
	case c.Has("access-control-policy"):
		return parseAccessControlPolicy(c.Arg("access-control-policy"))
	}
	l := &estate.AccessControlList{Grants: []estate.ACLGrant{}}
	for _, opt := range grantOptions {
		if !c.Has(opt) {
			continue
		}
		grantees, err := estate.ParseGrantHeader(c.Arg(opt))
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", opt, err)
		}
		perm := strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(opt, "grant-"), "-", "_"))
		for _, g := range grantees {
			l.Grants = append(l.Grants, estate.ACLGrant{Grantee: g, Permission: perm})
		}
	}
	return l, nil
}

// parseAccessControlPolicy reads the JSON form of --access-control-policy:
// {"Grants":[{"Grantee":{"Type":"Group","URI":"..."},"Permission":"READ"}],"Owner":{"ID":"..."}}.
func parseAccessControlPolicy(v string) (*estate.AccessControlList, error) {
	var in struct {
		Grants []struct {
			Grantee    struct{ Type, ID, URI, EmailAddress string }
			Permission string
		}
	}
	if err := json.Unmarshal([]byte(v), &in); err != nil {
		return nil, fmt.Errorf("--access-control-policy: expected JSON such as {\"Grants\": [{\"Grantee\": {\"Type\": \"CanonicalUser\", \"ID\": \"...\"}, \"Permission\": \"READ\"}], \"Owner\": {\"ID\": \"...\"}}: %w", err)
	}
	l := &estate.AccessControlList{Grants: []estate.ACLGrant{}}
	for i, g := range in.Grants {
		grantee := g.Grantee.ID
		switch g.Grantee.Type {
		case "Group":
			grantee = g.Grantee.URI
		case "CanonicalUser":
		default:
			return nil, fmt.Errorf("--access-control-policy: Grants[%d].Grantee.Type must be CanonicalUser or Group (email grantees are not supported)", i)
		}
		l.Grants = append(l.Grants, estate.ACLGrant{Grantee: grantee, Permission: g.Permission})
	}
	return l, nil
}

var ownershipShorthand = regexp.MustCompile(`^Rules=\[\{ObjectOwnership=(\w+)\}\]$`)

// parseOwnershipControls reads --ownership-controls, JSON
// ({"Rules":[{"ObjectOwnership":"ObjectWriter"}]}) or shorthand
// (Rules=[{ObjectOwnership=ObjectWriter}]).
func parseOwnershipControls(v string) (string, error) {
	v = strings.TrimSpace(v)
	if m := ownershipShorthand.FindStringSubmatch(v); m != nil {
		return m[1], nil
	}
	var in struct {
		Rules []struct{ ObjectOwnership string }
	}
	if err := json.Unmarshal([]byte(v), &in); err != nil || len(in.Rules) != 1 {
		return "", fmt.Errorf("--ownership-controls: expected Rules=[{ObjectOwnership=BucketOwnerEnforced|BucketOwnerPreferred|ObjectWriter}] or its JSON, not %q", v)
	}
	return in.Rules[0].ObjectOwnership, nil
}

func putBucketOwnershipControls(e *Env, r *Result, caller estate.Caller, c *Command) {
	o, err := parseOwnershipControls(c.Arg("ownership-controls"))
	if err != nil {
		r.Code, r.Message = "ParamValidation", err.Error()
		return
	}
	d, err := e.Estate.PutBucketOwnershipControls(e.call(caller), c.Arg("bucket"), o)
	r.decided(d, err, "PutBucketOwnershipControls")
}

func getBucketOwnershipControls(e *Env, r *Result, caller estate.Caller, c *Command) {
	o, d, err := e.Estate.GetBucketOwnershipControls(e.call(caller), c.Arg("bucket"))
	if r.decided(d, err, "GetBucketOwnershipControls") {
		r.Succeed(map[string]any{"OwnershipControls": map[string]any{"Rules": []map[string]string{{"ObjectOwnership": o}}}})
	}
}

func putACL(object bool) func(e *Env, r *Result, caller estate.Caller, c *Command) {
	return func(e *Env, r *Result, caller estate.Caller, c *Command) {
		l, err := requestACL(c)
		if err != nil {
			r.Code, r.Message = "ParamValidation", err.Error()
			return
		}
		call := e.call(caller)
		aclRequestKeys(&call, c)
		var d *estate.Decision
		op := "PutBucketAcl"
		if object {
			op = "PutObjectAcl"
			d, err = e.Estate.PutObjectACL(call, c.Arg("bucket"), c.Arg("key"), l)
		} else {
			d, err = e.Estate.PutBucketACL(call, c.Arg("bucket"), l)
		}
		r.decided(d, err, op)
	}
}

func getACL(object bool) func(e *Env, r *Result, caller estate.Caller, c *Command) {
	return func(e *Env, r *Result, caller estate.Caller, c *Command) {
		var acl engine.ACL
		var d *estate.Decision
		var err error
		op := "GetBucketAcl"
		if object {
			op = "GetObjectAcl"
			acl, d, err = e.Estate.GetObjectACL(e.call(caller), c.Arg("bucket"), c.Arg("key"))
		} else {
			acl, d, err = e.Estate.GetBucketACL(e.call(caller), c.Arg("bucket"))
		}
		if r.decided(d, err, op) {
			r.Succeed(aclJSON(acl))
		}
	}
}

// aclJSON is an ACL in the CLI's output shape.
func aclJSON(acl engine.ACL) map[string]any {
	grants := make([]map[string]any, len(acl.Grants))
	for i, g := range acl.Grants {
		grantee := map[string]string{"Type": g.Type}
		if g.Type == "Group" {
			grantee["URI"] = g.URI
		} else {
			grantee["ID"] = g.ID
		}
		grants[i] = map[string]any{"Grantee": grantee, "Permission": g.Permission}
	}
	return map[string]any{"Owner": map[string]string{"ID": acl.Owner}, "Grants": grants}
}

func listBuckets(e *Env, r *Result, caller estate.Caller, c *Command) {
	d := e.Estate.Authorize(e.call(caller), "s3:ListAllMyBuckets", "*")
	authorizeThen(r, d, "ListBuckets", func() (any, error) {
		buckets := []map[string]string{}
		for _, name := range e.ownBuckets(d) {
			// The estate keeps no creation dates; the scenario's clock
			// stands in, as the real CLI's aws s3 ls needs one.
			buckets = append(buckets, map[string]string{"Name": name, "CreationDate": e.Now().UTC().Format("2006-01-02T15:04:05.000Z")})
		}
		return map[string]any{"Buckets": buckets, "Owner": map[string]string{"ID": engine.CanonicalUserID(d.Identity.Account)}}, nil
	})
}
