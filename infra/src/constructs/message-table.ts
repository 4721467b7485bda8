import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDesign } from '@fanout/config';

/** The table the workers write, keyed and indexed exactly as the local runtime creates it. */
export class MessageTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: {
        name: tableDesign.partitionKey,
        type: AttributeType.STRING,
      },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Written data outlives `cdk destroy`; docs/deploy.md says how to delete it on purpose.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const index = tableDesign.runIndex;
    this.table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.NUMBER },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...index.nonKeyAttributes],
    });
  }

  /** The run index's ARN: the only thing run-status-api may query. */
  get runIndexArn(): string {
    return `${this.table.tableArn}/index/${tableDesign.runIndex.name}`;
  }
}
