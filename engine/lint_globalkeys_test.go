package engine_test

import (
	"testing"

	"iamlab/engine"
)

// TestLintKnowsNetworkServiceAndPerimeterKeys: the keys of VPC endpoints,
// service principals, forward access sessions and data perimeters are
// global condition keys lint knows.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func TestLintKnowsNetworkServiceAndPerimeterKeys(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d","aws:SourceVpc":"vpc-1"},"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/x","aws:SourceAccount":"111122223333","aws:SourceOrgID":"o-1","aws:ResourceOrgID":"o-1","aws:ResourceAccount":"111122223333"},"ForAnyValue:StringLike":{"aws:SourceOrgPaths":"o-1/*","aws:PrincipalOrgPaths":"o-1/*","aws:ResourceOrgPaths":"o-1/*","aws:CalledVia":"x.amazonaws.com"},"Bool":{"aws:ViaAWSService":"true","aws:PrincipalIsAWSService":"true"}}}]}`,
	} {
		p, err := engine.ParsePolicy([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range engine.Lint(p, engine.PlacementResource) {
			t.Errorf("Lint(%s) = %+v, want no finding: AWS lists these global keys", src, f)
		}
	}
}
