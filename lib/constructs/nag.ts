import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A resource as cdk-nag writes it inside a finding id (`<LogicalId>` or `<LogicalId.Arn>`),
 * so that an acknowledgement names that one resource instead of a hard-coded hash.
 */
export function nagRef(construct: IConstruct, attribute?: string): string {
  const logicalId = Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
  return attribute ? `<${logicalId}.${attribute}>` : `<${logicalId}>`;
}
