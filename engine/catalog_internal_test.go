package engine

import (
	"slices"
	"strings"
	"testing"
)

func catalogMustService(t testing.TB, prefix string) *serviceInfo {
	t.Helper()
	s, ok := lookupService(prefix)
	if !ok {
		t.Fatalf("lookupService(%q): not found", prefix)
	}
	return s
}

func TestCatalogServices(t *testing.T) {
	want := []string{
		"cloudwatch", "cognito-identity", "ds", "dynamodb", "ec2", "ecr", "iam", "kms",
		"lambda", "logs", "organizations", "rds", "s3", "secretsmanager", "sns", "sqs",
		"ssm", "sts",
	}
	got := catalogServicePrefixes()
	if !slices.Equal(got, want) {
		t.Errorf("catalogServicePrefixes() = %v, want %v", got, want)
	}
	for _, p := range want {
		s := catalogMustService(t, p)
		if s.Prefix != p || s.Name == "" {
			t.Errorf("service %q: Prefix=%q Name=%q", p, s.Prefix, s.Name)
		}
		if len(s.actions) == 0 {
			t.Errorf("service %q has no actions", p)
		}
	}
	// The result is a copy.
	got[0] = "zzz"
	if catalogServicePrefixes()[0] != want[0] {
		t.Error("catalogServicePrefixes returned shared storage")
	}
}

func TestCatalogLookupService(t *testing.T) {
	tests := []struct {
		prefix string
		ok     bool
		name   string
	}{
		{"s3", true, "s3"},
		{"S3", true, "s3"},
		{"Ec2", true, "ec2"},
		{"cognito-identity", true, "cognito-identity"},
		{"ds", true, "ds"},
		{"s4", false, ""},
		{"", false, ""},
		{"s3:GetObject", false, ""},
	}
	for _, tt := range tests {
		s, ok := lookupService(tt.prefix)
		if ok != tt.ok {
			t.Errorf("lookupService(%q) ok = %v, want %v", tt.prefix, ok, tt.ok)
			continue
		}
		if ok && s.Prefix != tt.name {
			t.Errorf("lookupService(%q).Prefix = %q, want %q", tt.prefix, s.Prefix, tt.name)
		}
	}
}

func TestCatalogServiceAction(t *testing.T) {
	tests := []struct {
		service, action string
		ok              bool
		canonical       string
	}{
		{"s3", "GetObject", true, "GetObject"},
		{"s3", "getobject", true, "GetObject"},
		{"S3", "GETOBJECT", true, "GetObject"},
		{"s3", "GetObjekt", false, ""},
		{"s3", "GetObject*", false, ""},
		{"s3", "", false, ""},
		{"ec2", "RunInstances", true, "RunInstances"},
		{"iam", "PassRole", true, "PassRole"},
		{"sts", "AssumeRole", true, "AssumeRole"},
		{"sts", "assumerolewithwebidentity", true, "AssumeRoleWithWebIdentity"},
		{"kms", "Decrypt", true, "Decrypt"},
		{"dynamodb", "GetItem", true, "GetItem"},
		{"lambda", "InvokeFunction", true, "InvokeFunction"},
		{"sqs", "SendMessage", true, "SendMessage"},
		{"sns", "Publish", true, "Publish"},
		{"logs", "PutLogEvents", true, "PutLogEvents"},
		{"secretsmanager", "GetSecretValue", true, "GetSecretValue"},
		{"ssm", "GetParameter", true, "GetParameter"},
		{"ecr", "GetAuthorizationToken", true, "GetAuthorizationToken"},
		{"organizations", "DescribeOrganization", true, "DescribeOrganization"},
	}
	for _, tt := range tests {
		s := catalogMustService(t, tt.service)
		a, ok := s.action(tt.action)
		if ok != tt.ok {
			t.Errorf("%s action(%q) ok = %v, want %v", tt.service, tt.action, ok, tt.ok)
			continue
		}
		if ok && a.Name != tt.canonical {
			t.Errorf("%s action(%q).Name = %q, want %q", tt.service, tt.action, a.Name, tt.canonical)
		}
		if ok && a.AccessLevel == "" {
			t.Errorf("%s:%s has no access level", tt.service, a.Name)
		}
	}
}

func TestCatalogActionDetails(t *testing.T) {
	run, ok := catalogMustService(t, "ec2").action("RunInstances")
	if !ok {
		t.Fatal("ec2:RunInstances missing")
	}
	if run.AccessLevel != "Write" {
		t.Errorf("ec2:RunInstances access level = %q, want Write", run.AccessLevel)
	}
	var inst *actionResourceType
	for i := range run.ResourceTypes {
		if run.ResourceTypes[i].Name == "instance" {
			inst = &run.ResourceTypes[i]
		}
	}
	if inst == nil {
		t.Errorf("ec2:RunInstances resource types %v lack instance", run.ResourceTypes)
	} else if !inst.Required {
		t.Error("ec2:RunInstances instance resource type is not required")
	}
	if !slices.Contains(run.ConditionKeys, "ec2:InstanceType") {
		t.Error("ec2:RunInstances lacks condition key ec2:InstanceType")
	}

	pass, _ := catalogMustService(t, "iam").action("passrole")
	if pass == nil || !slices.Contains(pass.ConditionKeys, "iam:PassedToService") {
		t.Errorf("iam:PassRole condition keys lack iam:PassedToService: %+v", pass)
	}

	get, _ := catalogMustService(t, "s3").action("GetObject")
	if get == nil || get.AccessLevel != "Read" {
		t.Fatalf("s3:GetObject = %+v", get)
	}
	if !slices.ContainsFunc(get.ResourceTypes, func(r actionResourceType) bool { return r.Name == "object" }) {
		t.Errorf("s3:GetObject resource types %v lack object", get.ResourceTypes)
	}

	// Every resource type an action names is defined by its service, and
	// every condition key an action or resource type names resolves.
	for _, p := range catalogServicePrefixes() {
		s := catalogMustService(t, p)
		for _, a := range s.actions {
			for _, rt := range a.ResourceTypes {
				if _, ok := s.resourceType(rt.Name); !ok {
					t.Errorf("%s:%s names unknown resource type %q", p, a.Name, rt.Name)
				}
			}
			for _, k := range a.ConditionKeys {
				if _, ok := s.conditionKey(k); !ok {
					t.Errorf("%s:%s names unknown condition key %q", p, a.Name, k)
				}
			}
		}
		for _, rt := range s.resourceTypes {
			if len(rt.ARNFormats) == 0 || !strings.HasPrefix(rt.ARNFormats[0], "arn:") {
				t.Errorf("%s resource type %s has ARN formats %v", p, rt.Name, rt.ARNFormats)
			}
		}
	}
}

func TestCatalogResourceType(t *testing.T) {
	tests := []struct {
		service, name string
		ok            bool
		arnContains   string
	}{
		{"s3", "object", true, ":s3:::${BucketName}/${ObjectName}"},
		{"s3", "bucket", true, ":s3:::${BucketName}"},
		{"s3", "Bucket", true, ":s3:::${BucketName}"},
		{"ec2", "instance", true, ":instance/${InstanceId}"},
		{"iam", "role", true, ":role/${RoleNameWithPath}"},
		{"secretsmanager", "secret", true, ":secret:${SecretId}"},
		{"s3", "objekt", false, ""},
	}
	for _, tt := range tests {
		rt, ok := catalogMustService(t, tt.service).resourceType(tt.name)
		if ok != tt.ok {
			t.Errorf("%s resourceType(%q) ok = %v, want %v", tt.service, tt.name, ok, tt.ok)
			continue
		}
		if ok && !slices.ContainsFunc(rt.ARNFormats, func(f string) bool { return strings.Contains(f, tt.arnContains) }) {
			t.Errorf("%s resourceType(%q).ARNFormats = %v, want one containing %q", tt.service, tt.name, rt.ARNFormats, tt.arnContains)
		}
	}
}

func TestCatalogActionsMatching(t *testing.T) {
	s3 := catalogMustService(t, "s3")
	names := func(as []*actionInfo) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	tests := []struct {
		pattern string
		has     []string
		hasNot  []string
	}{
		{"Get*", []string{"GetObject", "GetBucketPolicy"}, []string{"PutObject", "ListBucket"}},
		{"get*", []string{"GetObject"}, []string{"PutObject"}},
		{"GET*", []string{"GetObject"}, []string{"PutObject"}},
		{"*Object", []string{"GetObject", "PutObject", "DeleteObject"}, []string{"GetObjectAcl"}},
		{"?etObject", []string{"GetObject"}, []string{"PutObject"}},
		{"*", []string{"GetObject", "PutObject", "ListBucket"}, nil},
		{"GetObject", []string{"GetObject"}, []string{"GetObjectAcl"}},
		{"G*t*Acl", []string{"GetObjectAcl", "GetBucketAcl"}, []string{"GetObject"}},
		{"Nope*", nil, []string{"GetObject"}},
	}
	for _, tt := range tests {
		got := names(s3.actionsMatching(tt.pattern))
		for _, h := range tt.has {
			if !slices.Contains(got, h) {
				t.Errorf("actionsMatching(%q) lacks %s", tt.pattern, h)
			}
		}
		for _, h := range tt.hasNot {
			if slices.Contains(got, h) {
				t.Errorf("actionsMatching(%q) has %s", tt.pattern, h)
			}
		}
	}
	if n, all := len(s3.actionsMatching("*")), len(s3.actions); n != all {
		t.Errorf(`actionsMatching("*") = %d actions, want %d`, n, all)
	}
	if got := s3.actionsMatching("Nope*"); got != nil {
		t.Errorf(`actionsMatching("Nope*") = %v, want nil`, names(got))
	}
}

func TestCatalogGlobFold(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"a*", "a", true},
		{"a?", "a", false},
		{"*b*", "abc", true},
		{"*b", "abc", false},
		{"A*C", "abc", true},
		{"a**c", "abc", true},
		{"*a*a*", "banana", true},
		{"*x*", "banana", false},
	}
	for _, tt := range tests {
		if got := catalogGlobFold(tt.pattern, tt.name); got != tt.want {
			t.Errorf("catalogGlobFold(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestCatalogServiceConditionKey(t *testing.T) {
	tests := []struct {
		service, key string
		ok           bool
		name         string // the matching catalog entry
	}{
		{"iam", "iam:PassedToService", true, "iam:PassedToService"},
		{"iam", "IAM:passedtoservice", true, "iam:PassedToService"},
		{"s3", "s3:prefix", true, "s3:prefix"},
		{"s3", "s3:x-amz-acl", true, "s3:x-amz-acl"},
		// Tag-key templates.
		{"s3", "s3:ExistingObjectTag/team", true, "s3:ExistingObjectTag/<key>"},
		{"s3", "s3:existingobjecttag/Team", true, "s3:ExistingObjectTag/<key>"},
		{"s3", "s3:BucketTag/team", true, "s3:BucketTag/${TagKey}"},
		{"s3", "aws:ResourceTag/team", true, "aws:ResourceTag/${TagKey}"},
		{"ec2", "ec2:ResourceTag/team", true, "ec2:ResourceTag/${TagKey}"},
		{"ec2", "ec2:ResourceTag/cost/center", true, "ec2:ResourceTag/${TagKey}"},
		{"iam", "iam:ResourceTag/team", true, "iam:ResourceTag/${TagKey}"},
		{"iam", "aws:RequestTag/team", true, "aws:RequestTag/${TagKey}"},
		{"kms", "kms:EncryptionContext:aws:pi:service", true, "kms:EncryptionContext:${EncryptionContextKey}"},
		// Templates need at least one character for the placeholder.
		{"s3", "s3:ExistingObjectTag/", false, ""},
		{"ec2", "ec2:ResourceTag/", false, ""},
		// S3 has no s3:ResourceTag/${TagKey} key (it has s3:BucketTag,
		// s3:ExistingObjectTag and aws:ResourceTag instead).
		{"s3", "s3:ResourceTag/team", false, ""},
		{"s3", "s3:ExistingObjectTags/team", false, ""},
		{"s3", "s3:nosuchkey", false, ""},
		// A template's name itself resolves too.
		{"s3", "s3:BucketTag/${TagKey}", true, "s3:BucketTag/${TagKey}"},
	}
	for _, tt := range tests {
		k, ok := catalogMustService(t, tt.service).conditionKey(tt.key)
		if ok != tt.ok {
			t.Errorf("%s conditionKey(%q) ok = %v, want %v", tt.service, tt.key, ok, tt.ok)
			continue
		}
		if ok && (k.Name != tt.name || k.Type == "") {
			t.Errorf("%s conditionKey(%q) = %+v, want name %q", tt.service, tt.key, k, tt.name)
		}
	}
}

func TestCatalogGlobalConditionKey(t *testing.T) {
	tests := []struct {
		key  string
		ok   bool
		name string
		typ  string
	}{
		{"aws:username", true, "aws:username", "String"},
		{"AWS:UserName", true, "aws:username", "String"},
		{"aws:PrincipalTag/x", true, "aws:PrincipalTag/${TagKey}", "String"},
		{"aws:principaltag/Team", true, "aws:PrincipalTag/${TagKey}", "String"},
		{"aws:RequestTag/team", true, "aws:RequestTag/${TagKey}", "String"},
		{"aws:ResourceTag/team", true, "aws:ResourceTag/${TagKey}", "String"},
		{"aws:MultiFactorAuthPresent", true, "aws:MultiFactorAuthPresent", "Bool"},
		{"aws:MultiFactorAuthAge", true, "aws:MultiFactorAuthAge", "Numeric"},
		{"aws:SourceIp", true, "aws:SourceIp", "IPAddress"},
		{"aws:CurrentTime", true, "aws:CurrentTime", "Date"},
		{"aws:PrincipalArn", true, "aws:PrincipalArn", "ARN"},
		{"aws:TagKeys", true, "aws:TagKeys", "ArrayOfString"},
		{"aws:SecureTransport", true, "aws:SecureTransport", "Bool"},
		{"aws:PrincipalTag/", false, "", ""},
		{"aws:usernam", false, "", ""},
		{"s3:prefix", false, "", ""},
		{"ec2:SourceInstanceArn", false, "", ""},
	}
	for _, tt := range tests {
		k, ok := globalConditionKey(tt.key)
		if ok != tt.ok {
			t.Errorf("globalConditionKey(%q) ok = %v, want %v", tt.key, ok, tt.ok)
			continue
		}
		if ok && (k.Name != tt.name || k.Type != tt.typ) {
			t.Errorf("globalConditionKey(%q) = %+v, want {%s %s}", tt.key, k, tt.name, tt.typ)
		}
	}
}

func TestCatalogSplitKeyTemplate(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"s3:prefix", nil},
		{"aws:RequestTag/${TagKey}", []string{"aws:RequestTag/", ""}},
		{"s3:ExistingObjectTag/<key>", []string{"s3:ExistingObjectTag/", ""}},
		{"token.actions.${Domain}.ghe.com:actor", []string{"token.actions.", ".ghe.com:actor"}},
		{"a${X}b${Y}", []string{"a", "b", ""}},
		{"a${unclosed", nil},
	}
	for _, tt := range tests {
		if got := catalogSplitKeyTemplate(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("catalogSplitKeyTemplate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !catalogMatchKeyTemplate("token.actions.corp.ghe.com:actor", catalogSplitKeyTemplate("token.actions.${Domain}.ghe.com:actor")) {
		t.Error("mid-key template did not match")
	}
	if catalogMatchKeyTemplate("token.actions..ghe.com:actor", catalogSplitKeyTemplate("token.actions.${Domain}.ghe.com:actor")) {
		t.Error("empty placeholder matched")
	}
}

func TestCatalogLookupsDoNotAllocate(t *testing.T) {
	s3 := catalogMustService(t, "s3")
	allocs := testing.AllocsPerRun(100, func() {
		s, _ := lookupService("S3")
		s.action("GetObject")
		s.resourceType("object")
		s.conditionKey("s3:prefix")
		s3.conditionKey("s3:ExistingObjectTag/team")
		globalConditionKey("aws:PrincipalTag/team")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times per run, want 0", allocs)
	}
}

func BenchmarkCatalogLookupServiceAction(b *testing.B) {
	loadCatalog()
	names := []struct{ svc, action string }{
		{"s3", "GetObject"},
		{"ec2", "RunInstances"},
		{"IAM", "passrole"},
		{"sts", "AssumeRole"},
		{"s3", "GetObjekt"},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n := names[i%len(names)]
		s, ok := lookupService(n.svc)
		if !ok {
			b.Fatal("service missing")
		}
		s.action(n.action)
	}
}
