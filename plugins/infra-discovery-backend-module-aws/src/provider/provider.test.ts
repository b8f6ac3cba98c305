import { runProvider } from '@infra-hub/plugin-infra-discovery-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { awsDiscoveryProvider } from '../module';

const ACCOUNT = '123456789012';
const ACCESS_KEY = 'AKIALOCALENDPOINT01';
const SECRET = 'local-endpoint-secret-value-do-not-print';

const stsOk = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${ACCOUNT}:user/discovery</Arn>
    <UserId>AIDALOCAL</UserId>
    <Account>${ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

const stsThrottled = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
  <RequestId>2</RequestId>
</ErrorResponse>`;

const ec2 = (action: string, body: string) =>
  `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>${body}</${action}Response>`;

const ec2Denied = `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>3</RequestID></Response>`;

/**
 * A local endpoint that speaks the wire protocols of STS and EC2 (query protocol, XML), throttles
 * the first call, and refuses DescribeInstances; it records the service and access key of every
 * signed request.
 */
async function localAws() {
  const seen: Array<{ service: string; action: string; key: string }> = [];
  let throttled = false;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => {
      body += c;
    });
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const [, key, , , service] =
        /Credential=([^/]+)\/(\d+)\/([^/]+)\/([^/]+)\//.exec(auth) ?? [];
      const action = new URLSearchParams(body).get('Action') ?? req.url ?? '';
      seen.push({ service, action, key: `${key}` });
      const xml = (status: number, text: string) =>
        res.writeHead(status, { 'content-type': 'text/xml' }).end(text);
      if (service === 'sts') {
        if (!throttled) {
          throttled = true;
          xml(400, stsThrottled);
          return;
        }
        xml(200, stsOk);
        return;
      }
      switch (action) {
        case 'DescribeVpcs':
          xml(
            200,
            ec2(
              action,
              `<vpcSet><item><vpcId>vpc-1</vpcId><ownerId>${ACCOUNT}</ownerId><cidrBlock>10.0.0.0/16</cidrBlock><isDefault>false</isDefault><tagSet><item><key>Name</key><value>main</value></item></tagSet></item></vpcSet>`,
            ),
          );
          return;
        case 'DescribeSubnets':
          xml(200, ec2(action, '<subnetSet/>'));
          return;
        case 'DescribeSecurityGroups':
          xml(
            200,
            ec2(
              action,
              `<securityGroupInfo><item><ownerId>${ACCOUNT}</ownerId><groupId>sg-ssh</groupId><groupName>ssh</groupName><groupDescription>ssh from anywhere</groupDescription><vpcId>vpc-1</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions><ipPermissionsEgress/></item></securityGroupInfo>`,
            ),
          );
          return;
        default:
          xml(403, ec2Denied);
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('the aws provider program', () => {
  it('signs with the credential it got on stdin, retries throttling, and reports a denied call as a warning', async () => {
    const aws = await localAws();
    try {
      const messages: any[] = [];
      const outcome = await runProvider({
        provider: awsDiscoveryProvider.command(),
        settings: {
          regions: ['eu-west-1'],
          services: ['ec2'],
          endpoint: aws.endpoint,
          maxAttempts: 3,
        },
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
        onMessage: m => {
          messages.push(m);
        },
      });
      expect(outcome.status).toBe('succeeded');
      expect(outcome.warnings).toEqual([
        expect.stringMatching(
          /^ec2 DescribeInstances in eu-west-1 \(account 123456789012\): UnauthorizedOperation: You are not authorized/,
        ),
      ]);
      const assets = messages.filter(m => m.type === 'asset').map(m => m.asset);
      expect(assets.map(a => `${a.type} ${a.name}`).sort()).toEqual([
        'aws_security_group ssh',
        'aws_vpc main',
        'internet The internet',
      ]);
      const sg = assets.find(a => a.type === 'aws_security_group');
      expect(sg.id).toBe(
        `aws:${ACCOUNT}:eu-west-1:aws_security_group:arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-ssh`,
      );
      const edges = messages.filter(m => m.type === 'edge').map(m => m.edge);
      expect(edges).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ to: sg.id, type: 'internet_ingress' }),
          expect.objectContaining({
            from: assets.find(a => a.type === 'aws_vpc').id,
            to: sg.id,
            type: 'contains',
          }),
        ]),
      );
      // Throttled once, then answered; every request signed with the key from stdin.
      expect(aws.seen.filter(s => s.service === 'sts')).toHaveLength(2);
      expect(new Set(aws.seen.map(s => s.key))).toEqual(new Set([ACCESS_KEY]));
      expect(JSON.stringify(messages)).not.toContain(SECRET);
    } finally {
      await aws.close();
    }
  });

  it('fails clearly without a credential, and when the endpoint cannot be reached', async () => {
    const none = await runProvider({
      provider: awsDiscoveryProvider.command(),
      settings: { regions: ['eu-west-1'] },
      credentials: null,
      onMessage: () => {},
    });
    expect(none.status).toBe('failed');
    expect(none.reason).toMatch(
      /No credential: give the source a vault credential/,
    );

    const unreachable = await runProvider({
      provider: awsDiscoveryProvider.command(),
      settings: {
        regions: ['eu-west-1'],
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
      },
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
      onMessage: () => {},
    });
    expect(unreachable.status).toBe('failed');
    expect(unreachable.reason).toMatch(
      /Cannot identify the AWS account of the credential/,
    );
    expect(unreachable.reason).not.toContain(SECRET);
  });
});
