package estate

import (
	"strings"
	"sync"
)

// awsManagedText holds the AWS managed policies the sandbox knows. AWS
// updates them; ReadOnlyAccess, which lists hundreds of actions, is cut
// down to the services the sandbox models.
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
var awsManagedText = map[string]string{
	"AdministratorAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	"PowerUserAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},` +
		`{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}`,
	"ReadOnlyAccess":          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","ec2:Get*","iam:Get*","iam:List*","kms:Describe*","kms:Get*","kms:List*","s3:Get*","s3:List*","sts:GetCallerIdentity"],"Resource":"*"}]}`,
	"AmazonS3FullAccess":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`,
	"AmazonS3ReadOnlyAccess":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}`,
	"AmazonEC2FullAccess":     `{"Version":"2012-10-17","Statement":[{"Action":"ec2:*","Effect":"Allow","Resource":"*"},{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*"}]}`,
	"AmazonEC2ReadOnlyAccess": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`,
	"IAMFullAccess":           `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}`,
	"IAMReadOnlyAccess":       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}`,
	"IAMUserChangePassword":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}`,
}

var awsManaged = sync.OnceValue(func() map[string]*Document {
	m := make(map[string]*Document, len(awsManagedText))
	for name, text := range awsManagedText {
		d, err := NewDocument(text)
		if err != nil {
			panic("estate: AWS managed policy " + name + ": " + err.Error())
		}
		m[name] = d
	}
	return m
})

// AWSManagedPolicyARN returns arn:aws:iam::aws:policy/NAME.
func AWSManagedPolicyARN(name string) string { return "arn:aws:iam::aws:policy/" + name }

// fullAWSAccess is the SCP AWS attaches to every root, OU and account.
const fullAWSAccessText = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// FullAWSAccessARN is the ARN of the AWS managed SCP FullAWSAccess.
const FullAWSAccessARN = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"

var fullAWSAccess = sync.OnceValue(func() *Document {
	d, _ := NewDocument(fullAWSAccessText)
	return d
})

// managedPolicy finds a managed policy by ARN and returns its default
// version's document.
func (e *Estate) managedPolicy(arn string) (*Document, *ManagedPolicy) {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "iam" || !strings.HasPrefix(parts[5], "policy/") {
		return nil, nil
	}
	if parts[4] == "aws" {
		name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
		return awsManaged()[name], nil
	}
	a := e.account(parts[4])
	if a == nil {
		return nil, nil
	}
	_, path, name := iamResource(parts[5])
	p := a.Policies[name]
	if p == nil || normPath(p.Path) != path {
		return nil, nil
	}
	return p.defaultDocument(), p
}

func (p *ManagedPolicy) defaultDocument() *Document {
	for _, v := range p.Versions {
		if v.ID == p.DefaultVersion {
			return v.Document
		}
	}
	return p.Document
}

// resolvePolicyRef turns a managed policy reference (ARN or bare name)
// into an ARN: a customer managed policy of the account first, then an
// AWS managed policy.
func (e *Estate) resolvePolicyRef(account, ref string) (string, bool) {
	if strings.HasPrefix(ref, "arn:") {
		d, _ := e.managedPolicy(ref)
		return ref, d != nil
	}
	if a := e.account(account); a != nil {
		if p := a.Policies[ref]; p != nil {
			return PolicyARN(account, p.Path, ref), true
		}
	}
	if _, ok := awsManagedText[ref]; ok {
		return AWSManagedPolicyARN(ref), true
	}
	return ref, false
}
