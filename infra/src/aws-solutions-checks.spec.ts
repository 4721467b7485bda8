import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createPipelineApp } from './pipeline-app.js';
import { cdkJsonContext } from './testing/synthesized-pipeline.js';

interface Acknowledgement {
  id: string;
  reason: string;
}

type TemplateJson = {
  Resources: Record<
    string,
    {
      Type: string;
      Metadata?: { cdk_nag?: { rules_to_suppress: Acknowledgement[] } };
    }
  >;
};

describe.each(['fanout', 'esm'])('cdk-nag AwsSolutionsChecks, -c trigger=%s', (trigger) => {
  let template: TemplateJson;
  let remainingFindings: string[];

  beforeAll(() => {
    const { app, stack } = createPipelineApp({
      context: { ...cdkJsonContext(), trigger },
    });
    remainingFindings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
        ),
      );
    // The CLI's path: synth runs the AwsSolutions plugin and throws on any finding not acknowledged.
    template = app.synth().getStackByName(stack.stackName).template;
  });

  /** "AWS::SQS::Queue AwsSolutions-SQS3" for every acknowledgement in the template's metadata. */
  function acknowledgedFindings(): string[] {
    const found = Object.values(template.Resources).flatMap((resource) =>
      (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => `${resource.Type} ${rule.id}`),
    );
    return [...new Set(found)].sort();
  }

  function reasons(): string[] {
    return Object.values(template.Resources).flatMap((resource) =>
      (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => rule.reason),
    );
  }

  it('finds nothing that is not acknowledged', () => {
    expect(remainingFindings).toEqual([]);
  });

  it('has exactly these acknowledged findings, each on the one kind of resource it concerns', () => {
    // The fan-out trigger's delivery dead-letter queue is a dead-letter queue cdk-nag does not recognise.
    expect(acknowledgedFindings()).toEqual(
      [
        ...(trigger === 'fanout' ? ['AWS::SQS::Queue AwsSolutions-SQS3'] : []),
        'AWS::ApiGateway::Method AwsSolutions-APIG4',
        'AWS::ApiGateway::Method AwsSolutions-COG4',
        'AWS::ApiGateway::Stage AwsSolutions-APIG3',
        'AWS::IAM::Role AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'AWS::SNS::Topic AwsSolutions-SNS2',
      ].sort(),
    );
  });

  it('gives each acknowledgement a one-sentence reason', () => {
    expect(reasons().length).toBeGreaterThan(0);
    for (const reason of reasons()) {
      expect(reason).toMatch(/^[A-Z].{60,}\.$/);
      // A second sentence would start after ". " with a capital letter.
      expect(reason).not.toMatch(/[.!?]\s+[A-Z]/);
    }
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    // Prepare
    const { app, stack } = createPipelineApp({
      context: { ...cdkJsonContext(), trigger },
    });
    new Queue(stack, 'UnencryptedQueue', {
      encryption: QueueEncryption.UNENCRYPTED,
    });
    // Act
    const synth = () => app.synth();
    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS/);
  });
});
