package awscli_test

import (
	"strings"
	"testing"
)

// taggingYAML: tina may tag, but only with the key team (aws:TagKeys);
// rex may read objects and decrypt only where the resource is tagged
// team=blue (aws:ResourceTag), and describe roles tagged so.
const taggingYAML = `id: tagging-test
title: tagging test
topics: [test]
difficulty: easy
story: A test estate.
account: "111122223333"
estate:
  accounts:
    "111122223333":
      users:
        tina:
          inlinePolicies:
            tag: |
              {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["iam:TagRole", "iam:UntagRole", "iam:TagUser", "iam:UntagUser", "s3:PutBucketTagging", "kms:TagResource", "ec2:CreateTags"], "Resource": "*",
                 "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}]}
        rex:
          inlinePolicies:
            abac: |
              {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "kms:Decrypt", "ec2:StopInstances"], "Resource": "*",
                 "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}}]}
      roles:
        app:
          path: /apps/
          trustPolicy: |
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}
      instances:
        i-0123456789abcdef0:
          instanceType: t3.micro
      keys:
        1111aaaa-11aa-41aa-81aa-1111aaaa1111:
          description: default key policy
      buckets:
        team-docs:
          objects:
            a.txt: "hello"
`

// TestTagging runs the tagging commands in order: what a tag request may
// set is decided on aws:TagKeys and aws:RequestTag, and once set, the tags
// decide later requests through aws:ResourceTag.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html
func TestTagging(t *testing.T) {
	t.Parallel()
	sb := sandboxOf(t, "tagging-test.yaml", taggingYAML)
	steps := []struct{ as, line, code, has string }{
		{"rex", "aws s3api get-object --bucket team-docs --key a.txt a.txt", "AccessDenied", ""},
		{"tina", "aws s3api put-bucket-tagging --bucket team-docs --tagging TagSet=[{Key=owner,Value=tina}]", "AccessDenied", "s3:PutBucketTagging"},
		{"tina", "aws s3api put-bucket-tagging --bucket team-docs --tagging TagSet=[{Key=team,Value=blue}]", "", ""},
		{"rex", "aws s3api get-object --bucket team-docs --key a.txt a.txt", "", ""},
		{"tina", `aws s3api put-bucket-tagging --bucket team-docs --tagging '{"TagSet":[{"Key":"team","Value":"red"}]}'`, "", ""},
		{"rex", "aws s3api get-object --bucket team-docs --key a.txt a.txt", "AccessDenied", ""},
		{"tina", "aws s3api put-bucket-tagging --bucket team-docs --tagging TagSet=[{Name=team}]", "ParamValidation", "unknown field"},

		{"rex", "aws kms decrypt --key-id 1111aaaa-11aa-41aa-81aa-1111aaaa1111", "AccessDeniedException", ""},
		{"tina", "aws kms tag-resource --key-id 1111aaaa-11aa-41aa-81aa-1111aaaa1111 --tags TagKey=team,TagValue=blue", "", ""},
		{"rex", "aws kms decrypt --key-id 1111aaaa-11aa-41aa-81aa-1111aaaa1111", "", ""},
		{"tina", "aws kms tag-resource --key-id 1111aaaa-11aa-41aa-81aa-1111aaaa1111 --tags TagKey=aws:team,TagValue=x", "AccessDeniedException", ""},

		{"tina", "aws ec2 create-tags --resources i-0123456789abcdef0 --tags Key=team,Value=blue", "", ""},
		{"tina", "aws ec2 create-tags --resources i-0123456789abcdef0 --tags Key=team,Value=blue Key=cost,Value=1", "UnauthorizedOperation", ""},
		{"tina", "aws ec2 create-tags --resources i-0000000000000000f --tags Key=team,Value=blue", "InvalidInstanceID.NotFound", ""},

		{"tina", "aws iam tag-role --role-name app --tags Key=team,Value=blue", "", ""},
		{"tina", "aws iam untag-role --role-name app --tag-keys team", "", ""},
		{"tina", "aws iam untag-role --role-name app --tag-keys team cost", "AccessDenied", "arn:aws:iam::111122223333:role/apps/app"},
		{"tina", "aws iam tag-user --user-name rex --tags Key=team,Value=blue", "", ""},
		{"tina", "aws iam untag-user --user-name rex --tag-keys team", "", ""},
		{"tina", "aws iam tag-role --role-name nobody --tags Key=team,Value=blue", "NoSuchEntity", ""},
	}
	for i, st := range steps {
		o := sb.Run(st.as, st.line)
		if o.Code != st.code {
			t.Fatalf("step %d: Run(%s, %q) code = %q, want %q (%s)", i, st.as, st.line, o.Code, st.code, o.Message)
		}
		if !strings.Contains(o.Output+o.Message, st.has) {
			t.Errorf("step %d: Run(%q) = %q, want it to contain %q", i, st.line, o.Output+o.Message, st.has)
		}
	}
}
