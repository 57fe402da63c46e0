package estate

import (
	"net/http"
	"strings"

	"iamlab/engine"
)

// VPCEndpoint is a VPC endpoint of an account, keyed in
// Account.VPCEndpoints by its ID (vpce-...). A call made through it (Call.
// VPCEndpoint) to its service carries aws:SourceVpce, aws:SourceVpc and
// aws:VpcSourceIp instead of aws:SourceIp, and its policy must allow the
// call. Without a policy it has AWS's default endpoint policy, which allows
// everything.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
type VPCEndpoint struct {
	VPC string `json:"vpc" yaml:"vpc"`
	// Service is the service prefix the endpoint serves (s3, sts, kms, ...);
	// calls to other services do not go through it.
	Service string    `json:"service" yaml:"service"`
	Policy  *Document `json:"policy,omitempty" yaml:"policy,omitempty"`
	// Type is Gateway or Interface; empty is Gateway for s3 and dynamodb,
	// the services with gateway endpoints, else Interface. PrivateDNS
	// says an interface endpoint answers for the service's public DNS
	// name inside its VPC. Which calls from the VPC go through an endpoint
	// without --via is in vpcroute.go.
	Type       string `json:"type,omitempty" yaml:"type,omitempty"`
	PrivateDNS bool   `json:"privateDns,omitempty" yaml:"privateDns,omitempty"`
}

// DefaultVPCSourceIP is aws:VpcSourceIp for calls through an endpoint
// that name no private address, an instance's included.
const DefaultVPCSourceIP = "10.0.1.25"

// quotaEndpointPolicy is the size limit of an endpoint policy.
const quotaEndpointPolicy = 20480

// vpcEndpoint finds an endpoint by ID in any account.
func (e *Estate) vpcEndpoint(id string) (string, *VPCEndpoint) {
	for _, acct := range e.accountIDs() {
		if a := e.Accounts[acct]; a != nil && a.VPCEndpoints[id] != nil {
			return acct, a.VPCEndpoints[id]
		}
	}
	return "", nil
}

// endpointFor is the engine's view of the endpoint a call goes through,
// nil when the call names none or the endpoint serves another service
// (such a call goes to the service's public endpoint).
func (e *Estate) endpointFor(c *Call, action string) (*engine.VPCEndpoint, PolicyRef) {
	if c.VPCEndpoint == "" {
		return nil, PolicyRef{}
	}
	_, ep := e.vpcEndpoint(c.VPCEndpoint)
	service, _, _ := strings.Cut(action, ":")
	if ep == nil || !strings.EqualFold(ep.Service, service) {
		return nil, PolicyRef{}
	}
	ip := c.VPCSourceIP
	if ip == "" {
		ip = DefaultVPCSourceIP
	}
	out := &engine.VPCEndpoint{ID: c.VPCEndpoint, VPC: ep.VPC, SourceIP: ip, Gateway: ep.endpointType() == EndpointGateway}
	if ep.Policy != nil {
		if p, err := ep.Policy.Policy(); err == nil {
			out.Policy = p
			return out, PolicyRef{Kind: "VPC endpoint", Owner: c.VPCEndpoint}
		}
	}
	return out, PolicyRef{}
}

// checkVPCEndpoint reports what is wrong with a call's endpoint: AWS
// would not route a call through an endpoint that does not exist.
func (e *Estate) checkVPCEndpoint(c *Call) *Error {
	if c.VPCEndpoint == "" {
		return nil
	}
	if _, ep := e.vpcEndpoint(c.VPCEndpoint); ep == nil {
		return newError("InvalidVpcEndpointId.NotFound", http.StatusBadRequest, "The VPC endpoint '"+c.VPCEndpoint+"' does not exist")
	}
	return nil
}

// vpcEndpoints checks an account's endpoints.
func (v *validator) vpcEndpoints(path string, a *Account) {
	for _, id := range sortedKeys(a.VPCEndpoints) {
		ep := a.VPCEndpoints[id]
		p := key(path+".vpcEndpoints", id)
		if !strings.HasPrefix(id, "vpce-") || len(id) < 6 {
			v.failf(p, "a VPC endpoint is keyed by its ID, such as vpce-1a2b3c4d")
		}
		if ep == nil {
			v.failf(p, "a VPC endpoint needs vpc and service")
			continue
		}
		if !strings.HasPrefix(ep.VPC, "vpc-") {
			v.failf(p+".vpc", "must be a VPC ID, such as vpc-0aa11bb2")
		}
		if ep.Service == "" || strings.ContainsAny(ep.Service, ": .") {
			v.failf(p+".service", "must be a service prefix, such as s3")
		}
		if ep.Policy != nil {
			if err := checkResourcePolicy(ep.Policy, quotaEndpointPolicy); err != nil {
				v.fail(p+".policy", err)
			}
		}
	}
}
