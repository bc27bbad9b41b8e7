import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { diagnosticLogGroup } from './log-group';

export interface NetworkProps {
  /** Zones of the isolated subnets, one subnet each. */
  readonly availabilityZones: readonly string[];
  /** Buckets the warehouse may read through the S3 endpoint; nothing else in S3 is reachable. */
  readonly dataBuckets: readonly string[];
}

/**
 * The warehouse's private network: isolated subnets only (no NAT, no internet gateway, so nothing
 * that bills by the hour), an S3 gateway endpoint limited to reading the data buckets, and a
 * security group that admits nothing: statements arrive through the Data API, not the VPC.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly warehouseSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: [...props.availabilityZones],
      natGateways: 0,
      subnetConfiguration: [{ name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(diagnosticLogGroup(this, 'FlowLogs')),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });

    const s3 = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const partition = Stack.of(this).partition;
    s3.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: props.dataBuckets.flatMap((bucket) => [
          `arn:${partition}:s3:::${bucket}`,
          `arn:${partition}:s3:::${bucket}/*`,
        ]),
      }),
    );

    // With enhanced VPC routing, COPY's S3 traffic leaves through this group; the isolated subnets
    // route only to the S3 endpoint, so HTTPS to anywhere means HTTPS to S3. (The S3 prefix list's
    // id would need a lookup, which would break the offline synth.)
    this.warehouseSecurityGroup = new ec2.SecurityGroup(this, 'WarehouseSecurityGroup', {
      vpc: this.vpc,
      description: 'Redshift warehouse: no inbound; outbound HTTPS to S3 through the gateway endpoint',
      allowAllOutbound: false,
    });
    this.warehouseSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'S3 via the gateway endpoint',
    );
  }
}
