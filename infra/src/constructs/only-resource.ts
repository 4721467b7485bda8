import type { IConstruct } from 'constructs';

/**
 * The CloudFormation resource of an L2 construct, to acknowledge a cdk-nag finding on it alone: an
 * acknowledgement on the L2 construct would also cover its children (a queue's policy, a method's
 * invoke permissions).
 */
export function onlyResource(construct: IConstruct): IConstruct {
  const resource = construct.node.defaultChild;
  if (!resource)
    throw new Error(
      `${construct.node.path} has no CloudFormation resource to acknowledge a finding on.`,
    );
  return resource;
}
