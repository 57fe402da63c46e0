#!/usr/bin/env node
// Generates a deterministic workload of `iamlab eval` requests (the format of
// shared/eval-request.md), one JSON object per line.
//
//   node gen-requests.mjs [-n 20000] [--seed 1] [-o requests.jsonl]
//
// The same seed and count always give the same file, byte for byte. Every
// request carries aws:CurrentTime and every other context key its policies
// read, so no result depends on the clock or on keys an engine derives itself.
//
// Written for iamlab; it uses nothing from iam-simulate.

import { writeFileSync } from 'node:fs'

// ---- arguments -------------------------------------------------------------

function parseArgs(argv) {
  const opts = { n: 20000, seed: 1, out: 'requests.jsonl' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '-n' || a === '--count') opts.n = Number(next())
    else if (a === '--seed') opts.seed = Number(next())
    else if (a === '-o' || a === '--out') opts.out = next()
    else if (a === '-h' || a === '--help') usage()
    else usage(`unknown argument ${a}`)
  }
  if (!Number.isInteger(opts.n) || opts.n < 1) usage('-n must be a positive integer')
  if (!Number.isInteger(opts.seed)) usage('--seed must be an integer')
  return opts
}

function usage(msg) {
  if (msg) console.error(`gen-requests: ${msg}`)
  console.error('usage: node gen-requests.mjs [-n COUNT] [--seed N] [-o FILE|-]')
  process.exit(msg ? 2 : 0)
}

// ---- deterministic randomness ---------------------------------------------

// mulberry32: small, fast, and the same on every platform.
function makeRng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let rng
const chance = (p) => rng() < p
const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)) // inclusive
const pick = (arr) => arr[Math.floor(rng() * arr.length)]
function weighted(pairs) {
  const total = pairs.reduce((s, [w]) => s + w, 0)
  let r = rng() * total
  for (const [w, v] of pairs) {
    if ((r -= w) < 0) return v
  }
  return pairs[pairs.length - 1][1]
}

// ---- the fictional estate ---------------------------------------------------

const ACCT = '111122223333' // member account in the organization
const PARTNER = '444455556666' // another company, not in our organization
const ORG = 'o-a1b2c3d4e5'
const PARTNER_ORG = 'o-zz99887766'
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']
const TEAMS = ['blue', 'red', 'green']
const TEAM_OF = { alice: 'blue', bob: 'red', carol: 'green', dave: 'blue', erin: 'red', frank: 'green', grace: 'blue', heidi: 'red' }
const ROLES = ['Developer', 'Operator', 'Analyst', 'CiDeploy']
const REGIONS = [[70, 'us-east-1'], [20, 'eu-west-1'], [10, 'ap-southeast-2']]
const T0 = Date.UTC(2025, 0, 1)
const T1 = Date.UTC(2025, 11, 31)

const doc = (...statements) => ({
  Version: '2012-10-17',
  // AWS accepts a lone statement object as well as a list; use both.
  Statement: statements.length === 1 && chance(0.2) ? statements[0] : statements,
})
const one = (v) => (Array.isArray(v) && v.length === 1 && chance(0.5) ? v[0] : v)

function userPrincipal(name, account = ACCT) {
  return { kind: 'user', arn: `arn:aws:iam::${account}:user/${name}`, name, account, team: TEAM_OF[name] ?? 'blue' }
}
function rolePrincipal(role, session, account = ACCT) {
  return {
    kind: 'role',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    role,
    session,
    account,
    team: pick(TEAMS),
  }
}
function somePrincipal(pRole = 0.2) {
  if (chance(pRole)) {
    const who = pick(USERS)
    return rolePrincipal(pick(ROLES), chance(0.5) ? who : `ci-build-${int(1, 999)}`)
  }
  return userPrincipal(pick(USERS))
}

function sourceIp() {
  return weighted([
    [70, `203.0.113.${int(1, 254)}`], // corporate network
    [10, `198.51.100.${int(1, 254)}`], // partner VPN
    [20, `192.0.2.${int(1, 254)}`], // somewhere else
  ])
}

// The request context: everything the policies read, given explicitly.
function baseContext(p, region) {
  const t = new Date(T0 + Math.floor(rng() * (T1 - T0)))
  const ctx = {
    'aws:CurrentTime': t.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': Math.floor(t.getTime() / 1000), // a number, as the format allows
    'aws:SourceIp': sourceIp(),
    'aws:RequestedRegion': region,
    'aws:SecureTransport': chance(0.92) ? (chance(0.5) ? true : 'true') : 'false',
  }
  if (p) {
    ctx['aws:PrincipalArn'] = p.kind === 'role' ? p.roleArn : p.arn
    ctx['aws:PrincipalAccount'] = p.account
    ctx['aws:PrincipalIsAWSService'] = 'false'
    ctx['aws:PrincipalOrgID'] = p.account === ACCT ? ORG : PARTNER_ORG
    ctx['aws:PrincipalTag/team'] = p.team
    if (p.kind === 'user') ctx['aws:username'] = p.name
    // Long-term keys carry no MFA key at all; console and MFA'd sessions do.
    const mfa = weighted([[45, 'true'], [30, 'false'], [25, null]])
    if (mfa !== null) ctx['aws:MultiFactorAuthPresent'] = chance(0.3) ? mfa === 'true' : mfa
  }
  return ctx
}

// ---- scenarios: each returns the core of a request -------------------------
// { principal, identity: [docs], boundary, session: [docs], action, resource:
//   { arn, account, policy }, context }

function s3Home() {
  const p = somePrincipal(0.1) // a role session has no aws:username
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const owner = chance(0.65) && p.kind === 'user' ? p.name : pick(USERS)
  const area = weighted([[70, `home/${owner}/`], [20, 'shared/'], [10, 'archive/2019/']])
  const action = weighted([[40, 's3:GetObject'], [25, 's3:PutObject'], [15, 's3:DeleteObject'], [20, 's3:ListBucket']])
  let arn
  if (action === 's3:ListBucket') {
    arn = 'arn:aws:s3:::corp-data'
    ctx['s3:prefix'] = chance(0.8) ? area : ''
  } else {
    arn = `arn:aws:s3:::corp-data/${area}${pick(['notes.txt', 'report.pdf', 'photos/cat.jpg', 'q3/data.csv'])}`
  }
  const identity = [
    doc(
      {
        Sid: 'AllowListingOfOwnHome',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::corp-data',
        Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*', 'home/${aws:username}/'] } },
      },
      {
        Sid: 'AllowHomeObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::corp-data/home/${aws:username}/*',
      },
    ),
  ]
  if (chance(0.7)) {
    identity.push(
      doc({
        Sid: 'DenyDeleteWithoutMFA',
        Effect: 'Deny',
        Action: 's3:DeleteObject',
        Resource: '*',
        Condition: chance(0.5)
          ? { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }
          : { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    )
  }
  if (chance(0.6)) {
    identity.push(
      doc(
        { Sid: 'ReadShared', Effect: 'Allow', Action: one(['s3:GetObject']), Resource: 'arn:aws:s3:::corp-data/shared/*' },
        { Sid: 'ProtectArchive', Effect: 'Deny', NotAction: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::corp-data/archive/*' },
      ),
    )
  }
  return { principal: p, identity, action, resource: { arn, account: ACCT }, context: ctx }
}

function dynamoNetwork() {
  const p = somePrincipal(0.25)
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const team = chance(0.7) ? p.team : pick(TEAMS)
  const table = `${team}-${pick(['orders', 'sessions', 'inventory'])}`
  const action = weighted([[35, 'dynamodb:GetItem'], [20, 'dynamodb:Query'], [20, 'dynamodb:PutItem'], [10, 'dynamodb:Scan'], [15, 'dynamodb:DeleteTable']])
  const arn = `arn:aws:dynamodb:${region}:${ACCT}:table/${table}`
  const identity = [
    doc({
      Sid: 'TeamTables',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
      Resource: `arn:aws:dynamodb:*:${ACCT}:table/\${aws:PrincipalTag/team}-*`,
      Condition: { StringEquals: { 'aws:PrincipalTag/team': ['blue', 'red', 'green'] } },
    }),
    doc(
      {
        Sid: 'ScanFromOfficeOnly',
        Effect: 'Allow',
        Action: 'dynamodb:Scan',
        Resource: `arn:aws:dynamodb:*:${ACCT}:table/*`,
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
      {
        Sid: 'DenyOutsideCorporateNetworks',
        Effect: 'Deny',
        Action: 'dynamodb:*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] } },
      },
    ),
  ]
  if (chance(0.5)) {
    identity.push(doc({ Sid: 'NoTableDeletion', Effect: 'Deny', Action: ['dynamodb:DeleteTable', 'dynamodb:DeleteBackup'], Resource: '*' }))
  }
  return { principal: p, identity, action, resource: chance(0.5) ? { arn, account: ACCT } : { arn }, context: ctx }
}

function contractorQueues() {
  const p = userPrincipal(pick(USERS))
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const queue = weighted([[70, `contractor-${pick(['intake', 'exports'])}`], [30, 'payroll-events']])
  const action = weighted([[35, 'sqs:SendMessage'], [30, 'sqs:ReceiveMessage'], [15, 'sqs:GetQueueAttributes'], [10, 'sqs:PurgeQueue'], [10, 'sqs:DeleteMessage']])
  const identity = [
    doc({
      Sid: 'ContractWindow',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
      Resource: `arn:aws:sqs:*:${ACCT}:contractor-*`,
      Condition: {
        DateGreaterThan: { 'aws:CurrentTime': '2025-02-01T00:00:00Z' },
        DateLessThan: { 'aws:CurrentTime': '2025-09-01T00:00:00Z' },
      },
    }),
    doc(
      { Sid: 'InspectQueues', Effect: 'Allow', Action: 'sqs:GetQueueAttributes', Resource: `arn:aws:sqs:*:${ACCT}:*` },
      { Sid: 'NeverPurge', Effect: 'Deny', Action: ['sqs:PurgeQueue', 'sqs:DeleteQueue'], Resource: '*' },
    ),
  ]
  return { principal: p, identity, action, resource: { arn: `arn:aws:sqs:${region}:${ACCT}:${queue}`, account: ACCT }, context: ctx }
}

function bucketPolicySameAccount() {
  const p = chance(0.3) ? rolePrincipal('Analyst', pick(USERS)) : userPrincipal(pick(USERS))
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const action = weighted([[70, 's3:GetObject'], [30, 's3:PutObject']])
  const folder = pick(['finance', 'finance', 'hr'])
  const identity = [doc({ Sid: 'DescribeThings', Effect: 'Allow', Action: ['ec2:Describe*', 'cloudwatch:Get*'], Resource: '*' })]
  const policy = doc(
    {
      Sid: 'FinanceReaders',
      Effect: 'Allow',
      Principal: { AWS: one([`arn:aws:iam::${ACCT}:user/bob`, `arn:aws:iam::${ACCT}:user/carol`, `arn:aws:iam::${ACCT}:role/Analyst`]) },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::corp-reports/finance/*',
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::corp-reports', 'arn:aws:s3:::corp-reports/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  )
  return {
    principal: p,
    identity,
    action,
    resource: { arn: `arn:aws:s3:::corp-reports/${folder}/2025-q${int(1, 4)}.xlsx`, account: ACCT, policy },
    context: ctx,
  }
}

function crossAccountBucket() {
  // Our user reaching into a partner's bucket: both sides must allow.
  const p = userPrincipal(pick(USERS))
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const action = weighted([[55, 's3:GetObject'], [45, 's3:PutObject']])
  const dir = chance(0.75) ? 'inbound' : 'outbound'
  if (action === 's3:PutObject' && chance(0.8)) ctx['s3:x-amz-acl'] = chance(0.8) ? 'bucket-owner-full-control' : 'private'
  const identity = []
  if (chance(0.75)) {
    identity.push(doc({ Sid: 'PartnerExchange', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::partner-exchange/*' }))
  }
  identity.push(doc({ Sid: 'OwnData', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::corp-data', 'arn:aws:s3:::corp-data/*'] }))
  const policy = doc(
    {
      Sid: 'CustomerReads',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::partner-exchange/*',
    },
    {
      Sid: 'CustomerDropsFiles',
      Effect: 'Allow',
      Principal: { AWS: [ACCT] },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::partner-exchange/inbound/*',
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  )
  return {
    principal: p,
    identity,
    action,
    resource: { arn: `arn:aws:s3:::partner-exchange/${dir}/batch-${int(1, 50)}.json`, account: PARTNER, policy },
    context: ctx,
  }
}

function partnerIntoUs() {
  // A partner's role reaching into our bucket, which grants their account.
  const p = rolePrincipal(pick(['Ingest', 'Auditor']), `job-${int(1, 99)}`, PARTNER)
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const action = weighted([[60, 's3:GetObject'], [25, 's3:PutObject'], [15, 's3:DeleteObject']])
  const identity = [doc({ Sid: 'ReachCustomer', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::corp-data/exchange/*' })]
  const policy = doc({
    Sid: 'PartnerAccess',
    Effect: 'Allow',
    Principal: { AWS: chance(0.5) ? `arn:aws:iam::${PARTNER}:root` : `arn:aws:iam::${PARTNER}:role/Ingest` },
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: 'arn:aws:s3:::corp-data/exchange/*',
  })
  return { principal: p, identity, action, resource: { arn: `arn:aws:s3:::corp-data/exchange/feed-${int(1, 9)}.csv`, account: ACCT, policy }, context: ctx }
}

function boundaryAndSession() {
  const p = somePrincipal(0.6)
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const [action, arn] = pick([
    ['s3:GetObject', `arn:aws:s3:::build-artifacts/app/${int(1, 40)}.zip`],
    ['s3:PutObject', `arn:aws:s3:::build-artifacts/app/${int(1, 40)}.zip`],
    ['lambda:InvokeFunction', `arn:aws:lambda:${region}:${ACCT}:function:thumbnailer`],
    ['lambda:UpdateFunctionCode', `arn:aws:lambda:${region}:${ACCT}:function:thumbnailer`],
    ['dynamodb:GetItem', `arn:aws:dynamodb:${region}:${ACCT}:table/builds`],
    ['dynamodb:DeleteItem', `arn:aws:dynamodb:${region}:${ACCT}:table/builds`],
  ])
  const identity = [doc({ Sid: 'PowerUser', Effect: 'Allow', Action: ['s3:*', 'lambda:*', 'dynamodb:*'], Resource: '*' })]
  const boundary = chance(0.8)
    ? doc(
        {
          Sid: 'BoundaryCeiling',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket', 'lambda:InvokeFunction', 'lambda:Get*', 'dynamodb:GetItem', 'dynamodb:Query'],
          Resource: '*',
        },
        { Sid: 'BoundaryWritesInRegion', Effect: 'Allow', Action: ['s3:PutObject', 'lambda:UpdateFunctionCode'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
      )
    : null
  const session = []
  if (p.kind === 'role' && chance(0.5)) {
    session.push(doc({ Sid: 'SessionScope', Effect: 'Allow', Action: ['s3:*', 'dynamodb:GetItem'], Resource: '*' }))
    if (chance(0.3)) session.push(doc({ Sid: 'SessionNoDeletes', Effect: 'Deny', Action: ['s3:Delete*', 'dynamodb:Delete*', 'lambda:Delete*'], Resource: '*' }))
  }
  return { principal: p, identity, boundary, session, action, resource: { arn, account: ACCT }, context: ctx }
}

function ec2Abac() {
  const p = rolePrincipal(pick(['Operator', 'Developer']), pick(USERS))
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const action = weighted([[25, 'ec2:DescribeInstances'], [30, 'ec2:StartInstances'], [30, 'ec2:StopInstances'], [15, 'ec2:TerminateInstances']])
  let arn = '*'
  if (action !== 'ec2:DescribeInstances') {
    arn = `arn:aws:ec2:${region}:${ACCT}:instance/i-0${int(100000, 999999)}abc`
    ctx['aws:ResourceTag/team'] = chance(0.65) ? p.team : pick(TEAMS)
  }
  const identity = [
    doc(
      { Sid: 'SeeInstances', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
      {
        Sid: 'OperateOwnTeamInstances',
        Effect: 'Allow',
        Action: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:TerminateInstances'],
        Resource: `arn:aws:ec2:*:${ACCT}:instance/*`,
        Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
      },
    ),
    doc({
      Sid: 'TerminateNeedsMFA',
      Effect: 'Deny',
      Action: 'ec2:TerminateInstances',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
  ]
  return { principal: p, identity, action, resource: { arn, account: ACCT }, context: ctx }
}

function adminWithGuardrails() {
  const p = userPrincipal(pick(USERS))
  const region = weighted(REGIONS)
  const ctx = baseContext(p, region)
  const [action, arn] = pick([
    ['iam:GetUser', p.arn],
    ['iam:ChangePassword', p.arn],
    ['iam:CreateUser', `arn:aws:iam::${ACCT}:user/new-hire-${int(1, 99)}`],
    ['iam:DeleteRole', `arn:aws:iam::${ACCT}:role/OrgSecurityAudit`],
    ['iam:AttachUserPolicy', `arn:aws:iam::${ACCT}:user/${pick(USERS)}`],
    ['ec2:TerminateInstances', `arn:aws:ec2:${region}:${ACCT}:instance/i-0${int(100000, 999999)}def`],
  ])
  const identity = [
    doc({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2025-10-01T00:00:00Z' } } }),
    doc({
      Sid: 'SelfServiceOnlyWithoutMFA',
      Effect: 'Deny',
      NotAction: ['iam:GetUser', 'iam:ChangePassword', 'iam:ListMFADevices', 'iam:EnableMFADevice'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
    doc({ Sid: 'OwnUserAlways', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ChangePassword'], Resource: 'arn:aws:iam::*:user/${aws:username}' }),
  ]
  return { principal: p, identity, action, resource: { arn, account: ACCT }, context: ctx }
}

function anonymousPublic() {
  const region = weighted(REGIONS)
  const ctx = baseContext(null, region)
  const [key, bucket] = weighted([
    [60, [`site/${pick(['index.html', 'app.js', 'logo.png'])}`, 'public-site']],
    [20, [`drafts/post-${int(1, 30)}.md`, 'public-site']],
    [20, [`home/${pick(USERS)}/notes.txt`, 'corp-data']],
  ])
  const policy =
    bucket === 'public-site'
      ? doc(
          { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' },
          { Sid: 'HideDrafts', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/drafts/*' },
        )
      : null
  return { principal: null, identity: [], action: 's3:GetObject', resource: { arn: `arn:aws:s3:::${bucket}/${key}`, account: ACCT, policy }, context: ctx }
}

const SCENARIOS = [
  [22, s3Home],
  [12, dynamoNetwork],
  [9, contractorQueues],
  [10, bucketPolicySameAccount],
  [8, crossAccountBucket],
  [5, partnerIntoUs],
  [12, boundaryAndSession],
  [10, ec2Abac],
  [7, adminWithGuardrails],
  [5, anonymousPublic],
]

// ---- organization layers and fillers ----------------------------------------

const FULL_AWS_ACCESS = () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })
const DENY_REGIONS = () =>
  doc({
    Sid: 'DenyOutsideApprovedRegions',
    Effect: 'Deny',
    NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*', 'cloudfront:*'],
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
  })
const ACCOUNT_ALLOWLIST = () =>
  doc({
    Sid: 'ApprovedServices',
    Effect: 'Allow',
    Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'lambda:*', 'cloudwatch:*', 'ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances', 'iam:Get*', 'iam:List*', 'iam:ChangePassword'],
    Resource: '*',
  })
const PROTECT_SECURITY = () =>
  doc({
    Sid: 'ProtectSecurityRoles',
    Effect: 'Deny',
    Action: 'iam:*',
    Resource: 'arn:aws:iam::*:role/OrgSecurity*',
    Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrgAdmin' } },
  })
const RCP_TLS = () =>
  doc({
    Sid: 'EnforceTLS',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*', 'sqs:*', 'kms:*'],
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  })
const RCP_PERIMETER = () =>
  doc({
    Sid: 'DataPerimeter',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  })
const FILLERS = [
  () => doc({ Sid: 'CloudWatchRead', Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], Resource: '*' }),
  () => doc({ Sid: 'OwnAccessKeys', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys'], Resource: 'arn:aws:iam::*:user/${aws:username}' }),
  () => doc({ Sid: 'LogsWrite', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:*:${ACCT}:log-group:/app/*` }),
  () => doc({ Sid: 'NoPublicAcls', Effect: 'Deny', Action: 's3:PutObjectAcl', Resource: '*', Condition: { StringLike: { 's3:x-amz-acl': 'public-*' } } }),
]

function buildRequest() {
  const core = weighted(SCENARIOS)()
  const p = core.principal
  const identity = core.identity
  const session = core.session ?? []
  const fixed = identity.length + session.length + (core.boundary ? 1 : 0) + (core.resource.policy ? 1 : 0)
  let room = Math.max(0, int(3, 6) - fixed)

  // SCPs: only for principals of our organization's member account.
  const scps = []
  if (p && p.account === ACCT && room > 0 && chance(0.8)) {
    const layouts = [
      [[FULL_AWS_ACCESS()]],
      [[FULL_AWS_ACCESS()], [ACCOUNT_ALLOWLIST()]],
      [[FULL_AWS_ACCESS(), PROTECT_SECURITY()], [FULL_AWS_ACCESS()]],
      [[FULL_AWS_ACCESS()], [FULL_AWS_ACCESS(), DENY_REGIONS()], [FULL_AWS_ACCESS()]],
      [[FULL_AWS_ACCESS()], [FULL_AWS_ACCESS(), DENY_REGIONS()], [ACCOUNT_ALLOWLIST()]],
    ].filter((l) => l.flat().length <= room)
    const layout = pick(layouts)
    scps.push(...layout)
    room -= layout.flat().length
  }
  // RCPs: only for resources in our organization's account.
  const rcps = []
  const resAccount = core.resource.account ?? p?.account
  if (resAccount === ACCT && room > 0 && chance(0.6)) {
    const layout = pick([[[RCP_TLS()]], [[RCP_PERIMETER()]], [[RCP_TLS()], [RCP_PERIMETER()]]].filter((l) => l.flat().length <= room))
    rcps.push(...layout)
    room -= layout.flat().length
  }
  // Fill up to the chosen number of documents with unrelated identity policies.
  if (p) {
    while (room-- > 0) identity.push(pick(FILLERS)())
  }

  const req = {}
  if (p) {
    req.principal = { arn: p.arn, identityPolicies: identity, permissionsBoundary: core.boundary ?? null }
    if (session.length) req.principal.sessionPolicies = session
  } else if (chance(0.5)) {
    req.principal = null
  }
  if (scps.length || rcps.length) {
    req.organization = { serviceControlPolicies: scps, resourceControlPolicies: rcps }
  }
  req.action = core.action
  req.resource = { arn: core.resource.arn }
  if (core.resource.account) req.resource.account = core.resource.account
  req.resource.policy = core.resource.policy ?? null
  req.context = core.context
  return req
}

// ---- main ------------------------------------------------------------------

const opts = parseArgs(process.argv.slice(2))
rng = makeRng(opts.seed)
const lines = []
for (let i = 0; i < opts.n; i++) lines.push(JSON.stringify(buildRequest()))
const text = lines.join('\n') + '\n'
if (opts.out === '-') process.stdout.write(text)
else {
  writeFileSync(opts.out, text)
  console.error(`gen-requests: wrote ${opts.n} requests (seed ${opts.seed}) to ${opts.out}`)
}
