import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, for the alarm: `matching/hr-directory-consumer`. */
  purpose: string;
  alarmTopic: ITopic;
}

/**
 * Where an asynchronous delivery ends after its retries: encrypted, TLS only, kept for the
 * longest time SQS allows (14 days, to find and redrive the cause), and alarmed as soon as
 * one message is visible, because every message here is work the platform did not do.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly depthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    // SQS-managed keys: EventBridge and Scheduler can send to the queue without a key policy.
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (EventBridge rule / Scheduler target DLQ, Lambda on-failure destination); a DLQ of a DLQ would only move the problem.',
    });

    this.depthAlarm = new Alarm(this, 'DepthAlarm', {
      alarmDescription: `${props.purpose}: messages in the dead-letter queue (failed deliveries to redrive).`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.depthAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
