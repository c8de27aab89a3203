/**
 * Each doc case names the AWS page and the example it reproduces, as "[page: example]":
 * - "Event patterns": Amazon EventBridge event patterns (incl. its "Match values", "Field
 *   matching", "Value matching" examples)
 * - "Null values": Matching null values and empty strings in Amazon EventBridge event patterns
 * - "Arrays": Arrays in Amazon EventBridge event patterns
 * - "Content filtering": Content filtering in Amazon EventBridge event patterns
 * - "Comparison operators": Comparison operators for use in event patterns (one row each; the
 *   page gives patterns only, so each row gets a minimal event)
 * - "Best practices": Best practices when defining Amazon EventBridge event patterns
 * - "Event Ruler": the README of aws/event-ruler, AWS's matcher, for `$or` nesting
 * Cases tagged "[AWS behaviour: ...]" pin down behaviour the docs leave open, as observed
 * against AWS (recorded in LocalStack's snapshot-tested pattern suite).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  parseEventPattern,
  validateEventPattern,
} from './pattern-matcher';

interface DocCase {
  name: string;
  pattern: Record<string, unknown>;
  event: Record<string, unknown>;
  matches: boolean;
}

const ec2StateChange = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const autoScalingLaunch = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const macieAlert = {
  version: '0',
  id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  account: '123456789012',
  time: '2017-04-24T22:28:49Z',
  region: 'us-east-1',
  resources: [
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
  ],
  detail: {
    'notification-type': 'ALERT_CREATED',
    name: 'Scanning bucket policies',
    tags: ['Custom_Alert', 'Insider'],
    'risk-score': 80,
    trigger: { 'rule-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id', 'alert-type': 'basic', risk: 8 },
  },
};

/** The sample event of the content filtering examples (as in the Event Ruler README). */
const contentEvent = (detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
    ...detail,
  },
});

const eventPatternsPage: DocCase[] = [
  {
    name: '[Event patterns: EC2 instance-termination pattern] matches the terminated EC2 event',
    pattern: {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    event: ec2StateChange,
    matches: true,
  },
  {
    name: '[Event patterns: EC2 instance-termination pattern] does not match a running instance',
    pattern: { source: ['aws.ec2'], detail: { state: ['terminated'] } },
    event: { ...ec2StateChange, detail: { ...ec2StateChange.detail, state: 'running' } },
    matches: false,
  },
  {
    name: '[Event patterns: Match values] source is aws.ec2 or aws.fargate, event from aws.fargate',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2StateChange, source: 'aws.fargate' },
    matches: true,
  },
  {
    name: '[Event patterns: Match values] source is aws.ec2 or aws.fargate, event from aws.s3',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2StateChange, source: 'aws.s3' },
    matches: false,
  },
  {
    name: '[Event patterns: Field matching] responseElements is null',
    pattern: {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    event: autoScalingLaunch,
    matches: true,
  },
  {
    name: '[Event patterns: Value matching] Macie risk score 80 and trigger risk 8',
    pattern: {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    },
    event: macieAlert,
    matches: true,
  },
  {
    name: '[Event patterns: Value matching] another trigger risk does not match',
    pattern: { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [9] } } },
    event: macieAlert,
    matches: false,
  },
  {
    name: '[Event patterns: same nesting structure] a field must sit where the pattern puts it',
    pattern: { detail: { state: ['terminated'] } },
    event: { ...ec2StateChange, detail: {}, state: 'terminated' },
    matches: false,
  },
];

const nullValuesPage: DocCase[] = [
  {
    name: '[Null values: eventVersion is an empty string]',
    pattern: { detail: { eventVersion: [''] } },
    event: autoScalingLaunch,
    matches: true,
  },
  {
    name: '[Null values: responseElements is null]',
    pattern: { detail: { responseElements: [null] } },
    event: autoScalingLaunch,
    matches: true,
  },
  {
    name: '[Null values: note] a pattern for the empty string does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: autoScalingLaunch,
    matches: false,
  },
  {
    name: '[Null values: note] a pattern for null does not match the empty string',
    pattern: { detail: { eventVersion: [null] } },
    event: autoScalingLaunch,
    matches: false,
  },
];

const arraysPage: DocCase[] = [
  {
    name: '[Arrays: resources] the first pattern value matches the second event value',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    matches: true,
  },
  {
    name: '[Arrays: resources] no common value, no match',
    pattern: { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: false,
  },
];

const contentFilteringPage: DocCase[] = [
  {
    name: '[Content filtering: Prefix matching] time starts with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-02T18:43:48Z' },
    matches: true,
  },
  {
    name: '[Content filtering: Prefix matching] another day does not match',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-03T18:43:48Z' },
    matches: false,
  },
  ...['EventBridge', 'EVENTBRIDGE', 'eventb'].map((service) => ({
    name: `[Content filtering: Prefix matching while ignoring case] EventB matches ${service}`,
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: { detail: { service } },
    matches: true,
  })),
  {
    name: '[Content filtering: Prefix matching while ignoring case] a different start does not match',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: { detail: { service: 'Event Bus' } },
    matches: false,
  },
  {
    name: '[Content filtering: Suffix matching] FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.png' },
    matches: true,
  },
  {
    name: '[Content filtering: Suffix matching] the suffix is case-sensitive',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.PNG' },
    matches: false,
  },
  {
    name: '[Content filtering: Suffix matching while ignoring case] .png matches .PNG',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: { detail: { FileName: 'IMAGE.PNG' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching] state is not initializing',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: { detail: { state: 'running' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching] state initializing is excluded',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: { detail: { state: 'initializing' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching] x-limit is not 123',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: { detail: { 'x-limit': 456 } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching] x-limit 123 is excluded',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: { detail: { 'x-limit': 123 } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching, list of strings] running is neither stopped nor overloaded',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: { detail: { state: 'running' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching, list of strings] stopped is excluded',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: { detail: { state: 'stopped' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching, list of numbers] 150 is not in the list',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: { detail: { 'x-limit': 150 } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching, list of numbers] 200 is excluded',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: { detail: { 'x-limit': 200 } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching on prefix] running does not start with init',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 'running' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching on prefix] initializing is excluded',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 'initializing' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching on suffix] notes.md does not end with .txt',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    event: { detail: { FileName: 'notes.md' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching on suffix] notes.txt is excluded',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    event: { detail: { FileName: 'notes.txt' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching while ignoring case] running is not excluded',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
    event: { detail: { state: 'running' } },
    matches: true,
  },
  ...['STOPPED', 'overloaded'].map((state) => ({
    name: `[Content filtering: Anything-but matching while ignoring case] ${state} is excluded`,
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
    event: { detail: { state } },
    matches: false,
  })),
  {
    name: '[Content filtering: Anything-but matching using wildcards] a path outside /lib/ matches',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { FilePath: '/usr/bin/tool' } },
    matches: true,
  },
  {
    name: '[Content filtering: Anything-but matching using wildcards] a path in /lib/ is excluded',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { FilePath: '/usr/lib/tool' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching using wildcards, list] /bin/ is excluded too',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: { detail: { FilePath: '/usr/bin/tool' } },
    matches: false,
  },
  {
    name: '[Content filtering: Anything-but matching using wildcards, list] other paths match',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: { detail: { FilePath: '/opt/app/tool' } },
    matches: true,
  },
  {
    name: '[Content filtering: Numeric matching] c-count in (0, 5], d-count < 10, x-limit = 3.018e2',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: contentEvent(),
    matches: true,
  },
  {
    name: '[Content filtering: Numeric matching] c-count 0 is outside (0, 5]',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: contentEvent({ 'c-count': 0 }),
    matches: false,
  },
  {
    name: '[Content filtering: Numeric matching] all fields must hold: x-limit 301.9 fails',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: contentEvent({ 'x-limit': 301.9 }),
    matches: false,
  },
  {
    name: '[Content filtering: IP address matching] 10.0.0.0/24 contains 10.0.0.255',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.0.255' } },
    matches: true,
  },
  {
    name: '[Content filtering: IP address matching] 10.0.0.0/24 does not contain 10.0.1.1',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.1.1' } },
    matches: false,
  },
  {
    name: '[Content filtering: Exists matching] no detail.c-count field: matches',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: {
      'detail-type': 'EC2 Instance State-change Notification',
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    },
    matches: true,
  },
  {
    name: "[Content filtering: Exists matching] also matches because c-count isn't a leaf node",
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: {
      'detail-type': 'EC2 Instance State-change Notification',
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    },
    matches: true,
  },
  {
    name: '[Content filtering: Exists matching] a leaf c-count exists, so exists:false fails',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: contentEvent(),
    matches: false,
  },
  {
    name: '[Content filtering: Existence matching example] events that have a description',
    pattern: { detail: { description: [{ exists: true }] } },
    event: { detail: { description: 'indexed text' } },
    matches: true,
  },
  {
    name: '[Content filtering: Existence matching example] events without a description',
    pattern: { detail: { description: [{ exists: true }] } },
    event: { detail: { title: 'no description here' } },
    matches: false,
  },
  {
    name: '[Content filtering: Equals-ignore-case matching] detail-type in any casing',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    event: ec2StateChange,
    matches: true,
  },
  {
    name: '[Content filtering: Matching using wildcards] any account, any bus in us-east-1',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' },
    matches: true,
  },
  {
    name: '[Content filtering: Matching using wildcards] another region does not match',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' },
    matches: false,
  },
  {
    name: '[Content filtering: Complex example with multiple matching] all conditions hold',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    event: contentEvent(),
    matches: true,
  },
  {
    name: '[Content filtering: Complex example with multiple matching] one failing condition fails it',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      },
    },
    event: contentEvent({ state: 'initializing' }),
    matches: false,
  },
  {
    name: '[Content filtering: Complex example with $or matching] d-count alone satisfies the $or',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: { detail: { 'd-count': 3 } },
    matches: true,
  },
  {
    name: '[Content filtering: Complex example with $or matching] no branch holds',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: { detail: { 'c-count': 10, 'd-count': 20, 'x-limit': 1 } },
    matches: false,
  },
];

/** The page lists rule syntax only; each row gets the smallest event showing it. */
const comparisonOperatorsPage: DocCase[] = [
  {
    name: '[Comparison operators: And] Location is New York and Day is Monday',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: { Location: 'New York', Day: 'Monday' },
    matches: true,
  },
  {
    name: '[Comparison operators: And] Tuesday fails the conjunction',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: { Location: 'New York', Day: 'Tuesday' },
    matches: false,
  },
  {
    name: '[Comparison operators: Anything-but] state initializing is excluded',
    pattern: { state: [{ 'anything-but': 'initializing' }] },
    event: { state: 'initializing' },
    matches: false,
  },
  {
    name: '[Comparison operators: Anything-but (begins with)] Region is not in the US',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: { Region: 'eu-west-1' },
    matches: true,
  },
  {
    name: '[Comparison operators: Anything-but (begins with)] a US region is excluded',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    event: { Region: 'us-east-1' },
    matches: false,
  },
  {
    name: '[Comparison operators: Anything-but (ends with)] FileName does not end with .png',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'photo.png' },
    matches: false,
  },
  {
    name: '[Comparison operators: Anything-but (ignore case)] INITIALIZING is excluded',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    event: { state: 'INITIALIZING' },
    matches: false,
  },
  {
    name: '[Comparison operators: Anything-but using a wildcard] a path without /lib/',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/home/user/file' },
    matches: true,
  },
  {
    name: '[Comparison operators: Begins with] Region is in the US',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: { Region: 'us-west-2' },
    matches: true,
  },
  {
    name: '[Comparison operators: Begins with (ignore case)] service starts with eventb',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    event: { service: 'EventBridge' },
    matches: true,
  },
  {
    name: '[Comparison operators: Empty] LastName is empty',
    pattern: { LastName: [''] },
    event: { LastName: '' },
    matches: true,
  },
  {
    name: '[Comparison operators: Empty] a non-empty LastName does not match',
    pattern: { LastName: [''] },
    event: { LastName: 'Smith' },
    matches: false,
  },
  {
    name: '[Comparison operators: Equals] Name is Alice',
    pattern: { Name: ['Alice'] },
    event: { Name: 'Alice' },
    matches: true,
  },
  {
    name: '[Comparison operators: Equals] matching is case-sensitive',
    pattern: { Name: ['Alice'] },
    event: { Name: 'alice' },
    matches: false,
  },
  {
    name: '[Comparison operators: Equals (ignore case)] Name is alice in any casing',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'ALICE' },
    matches: true,
  },
  {
    name: '[Comparison operators: Ends with] FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'chart.png' },
    matches: true,
  },
  {
    name: '[Comparison operators: Ends with (ignore case)] service ends with tBridge in any casing',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
    event: { service: 'EVENTBRIDGE' },
    matches: true,
  },
  {
    name: '[Comparison operators: Exists] ProductName exists',
    pattern: { ProductName: [{ exists: true }] },
    event: { ProductName: 'Widget' },
    matches: true,
  },
  {
    name: '[Comparison operators: Exists] a missing ProductName does not match',
    pattern: { ProductName: [{ exists: true }] },
    event: { Price: 10 },
    matches: false,
  },
  {
    name: '[Comparison operators: Does not exist] ProductName does not exist',
    pattern: { ProductName: [{ exists: false }] },
    event: { Price: 10 },
    matches: true,
  },
  {
    name: '[Comparison operators: Does not exist] a present ProductName does not match',
    pattern: { ProductName: [{ exists: false }] },
    event: { ProductName: 'Widget' },
    matches: false,
  },
  {
    name: '[Comparison operators: Not] Weather is anything but Raining',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: { Weather: 'Sunny' },
    matches: true,
  },
  {
    name: '[Comparison operators: Null] UserID is null',
    pattern: { UserID: [null] },
    event: { UserID: null },
    matches: true,
  },
  {
    name: '[Comparison operators: Null] a set UserID does not match',
    pattern: { UserID: [null] },
    event: { UserID: 'u-1' },
    matches: false,
  },
  {
    name: '[Comparison operators: Numeric (equals)] Price is 100',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: { Price: 100 },
    matches: true,
  },
  {
    name: '[Comparison operators: Numeric (equals)] the string "100" is not a number',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: { Price: '100' },
    matches: false,
  },
  ...[
    [20, true],
    [15, true],
    [10, false],
    [20.5, false],
  ].map(([price, matches]) => ({
    name: `[Comparison operators: Numeric (range)] Price ${price} in (10, 20]: ${matches}`,
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: price },
    matches: matches as boolean,
  })),
  {
    name: '[Comparison operators: Or] PaymentType is Credit or Debit',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    event: { PaymentType: 'Debit' },
    matches: true,
  },
  {
    name: '[Comparison operators: Or (multiple fields)] Location New York or Day Monday: Monday in Paris',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Paris', Day: 'Monday' },
    matches: true,
  },
  {
    name: '[Comparison operators: Or (multiple fields)] neither field matches',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Paris', Day: 'Tuesday' },
    matches: false,
  },
  ...[
    ['dir/abc.png', true],
    ['dir/sub/abc.png', true],
    ['other/abc.png', false],
    ['dir/abc.jpg', false],
  ].map(([fileName, matches]) => ({
    name: `[Comparison operators: Wildcard] dir/*.png against ${fileName}: ${matches}`,
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: fileName },
    matches: matches as boolean,
  })),
];

const bestPracticesPage: DocCase[] = [
  {
    name: '[Best practices: Make event patterns precise as possible] a source-only pattern also catches new event types',
    pattern: { source: ['aws.ec2'] },
    event: { ...ec2StateChange, 'detail-type': 'EC2 Spot Instance Interruption Warning' },
    matches: true,
  },
  {
    name: '[Best practices: Make event patterns precise as possible] naming detail-type keeps them out',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
    event: { ...ec2StateChange, 'detail-type': 'EC2 Spot Instance Interruption Warning' },
    matches: false,
  },
  {
    name: '[Best practices: Scope your event patterns to account for event source updates] anything-but matches a state added later',
    pattern: { source: ['aws.ec2'], detail: { state: [{ 'anything-but': ['running', 'pending'] }] } },
    event: { ...ec2StateChange, detail: { state: 'hibernating' } },
    matches: true,
  },
  {
    name: '[Best practices: Scope your event patterns to account for event source updates] listing the wanted states does not',
    pattern: { source: ['aws.ec2'], detail: { state: ['stopped', 'terminated'] } },
    event: { ...ec2StateChange, detail: { state: 'hibernating' } },
    matches: false,
  },
];

const cloudWatchEvent = (fields: Record<string, unknown>) => ({ source: 'aws.cloudwatch', ...fields });
const nestedOrPattern = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    {
      metricType: ['MetricType'],
      namespace: ['AWS/EC2', 'AWS/ES'],
      $or: [{ metricId: [1234] }, { spaceId: [1000] }],
    },
    { scope: ['Service'] },
  ],
};

const eventRulerReadme: DocCase[] = [
  {
    name: '[Event Ruler: Normal "Or"] source and (metricName or namespace)',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    event: cloudWatchEvent({ namespace: 'AWS/ES' }),
    matches: true,
  },
  {
    name: '[Event Ruler: Parallel "Or"] both $or groups must hold, one nested in detail',
    pattern: {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    event: { metricName: 'ReadLatency', detail: { source: 'other' } },
    matches: false,
  },
  {
    name: '[Event Ruler: Nested "Or" and "And"] the inner $or holds through spaceId',
    pattern: nestedOrPattern,
    event: cloudWatchEvent({ metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }),
    matches: true,
  },
  {
    name: '[Event Ruler: Nested "Or" and "And"] the inner $or fails, so its branch fails',
    pattern: nestedOrPattern,
    event: cloudWatchEvent({ metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1 }),
    matches: false,
  },
];

/** Behaviour the docs leave open, as AWS showed it (LocalStack's AWS-recorded pattern suite). */
const awsBehaviour: DocCase[] = [
  {
    name: '[AWS behaviour: anything-but on a missing field] does not match',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: { detail: {} },
    matches: false,
  },
  {
    name: '[AWS behaviour: anything-but on null] null is not "initializing", so it matches',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: { detail: { state: null } },
    matches: true,
  },
  {
    name: '[AWS behaviour: anything-but prefix on a number] a number has no prefix, so it matches',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 12 } },
    matches: true,
  },
  {
    name: '[AWS behaviour: anything-but wildcard ""] only the empty string is excluded',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '' } }] } },
    event: { detail: { FilePath: 'dir/init/file' } },
    matches: true,
  },
  {
    name: '[AWS behaviour: exists true on an empty array] an empty array does not exist',
    pattern: { resources: [{ exists: true }] },
    event: autoScalingLaunch,
    matches: false,
  },
  {
    name: '[AWS behaviour: exists false on an empty array] and so exists:false matches it',
    pattern: { resources: [{ exists: false }] },
    event: autoScalingLaunch,
    matches: true,
  },
  {
    name: '[AWS behaviour: null against an empty array] [null] does not match []',
    pattern: { resources: [null] },
    event: autoScalingLaunch,
    matches: false,
  },
  {
    name: '[AWS behaviour: exists on an intermediate node] an object value is not a leaf',
    pattern: { dynamodb: { presentKey: [{ exists: true }] } },
    event: { dynamodb: { id: { S: 'test1234' }, presentKey: { S: 'test123' } } },
    matches: false,
  },
  {
    name: '[AWS behaviour: exists false below a missing parent] the whole path is absent',
    pattern: { detail: { level1: { 'level2:': { level3: { level4: [{ exists: false }] } } } } },
    event: { detail: { level1: { level2: 'l2 value' } } },
    matches: true,
  },
  {
    name: '[AWS behaviour: list within dict] exists matches when one array element has the field',
    pattern: { detail: { automations: { id: [{ exists: true }] } } },
    event: { detail: { automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }] } },
    matches: true,
  },
  {
    name: '[AWS behaviour: $or of anything-but and exists:false] a missing parent takes the exists branch',
    pattern: { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } },
    event: { dynamodb: { NewImage: { purchased: { N: '789' } } } },
    matches: true,
  },
  {
    name: '[AWS behaviour: number comparison] 300 matches 300.0 (the docs claim otherwise)',
    pattern: { number: [300] },
    event: JSON.parse('{"number": 300.0}') as Record<string, unknown>,
    matches: true,
  },
  {
    name: '[AWS behaviour: numeric on a float] 101.0 > 100',
    pattern: { number: [{ numeric: ['>', 100] }] },
    event: { number: 101.0 },
    matches: true,
  },
  {
    name: '[AWS behaviour: numeric on null] null is not a number',
    pattern: { number: [{ numeric: ['>', 100] }] },
    event: { number: null },
    matches: false,
  },
  {
    name: '[AWS behaviour: nested JSON in a string] a string holding JSON is not an object',
    pattern: { detail: { 'my-key': ['my-value'] } },
    event: { detail: '{"my-key": "my-value"}' },
    matches: false,
  },
  {
    name: '[AWS behaviour: keys are case-sensitive] Source is not source',
    pattern: { Source: ['aws.ec2'] },
    event: ec2StateChange,
    matches: false,
  },
];

/** Edge cases of our own, each pinning one rule of the matcher. */
const edgeCases: DocCase[] = [
  {
    name: 'array-consistent: two fields cannot be satisfied by different elements of one array',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Doe'] } },
    event: {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    },
    matches: false,
  },
  {
    name: 'array-consistent: both fields from the same element match',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    event: {
      employees: [[{ firstName: 'John', lastName: 'Doe' }], [{ firstName: 'Anna', lastName: 'Smith' }]],
    },
    matches: true,
  },
  {
    name: 'nested arrays of scalars are flattened',
    pattern: { values: [3] },
    event: { values: [[1, 2], [3]] },
    matches: true,
  },
  {
    name: 'anything-but on an array matches when some element is not excluded',
    pattern: { tags: [{ 'anything-but': 'internal' }] },
    event: { tags: ['internal', 'public'] },
    matches: true,
  },
  {
    name: 'anything-but on an array whose elements are all excluded',
    pattern: { tags: [{ 'anything-but': 'internal' }] },
    event: { tags: ['internal'] },
    matches: false,
  },
  { name: 'a string never equals a number', pattern: { n: ['5'] }, event: { n: 5 }, matches: false },
  { name: 'true is not "true"', pattern: { b: [true] }, event: { b: 'true' }, matches: false },
  { name: 'false matches false', pattern: { b: [false] }, event: { b: false }, matches: true },
  { name: 'prefix ignores non-strings', pattern: { n: [{ prefix: '1' }] }, event: { n: 12 }, matches: false },
  { name: 'numeric exponent form', pattern: { n: [{ numeric: ['=', 3e2] }] }, event: { n: 300 }, matches: true },
  {
    name: 'numeric with >= and < bounds',
    pattern: { n: [{ numeric: ['>=', 1, '<', 2] }] },
    event: { n: 1 },
    matches: true,
  },
  {
    name: 'numeric upper bound is exclusive with <',
    pattern: { n: [{ numeric: ['>=', 1, '<', 2] }] },
    event: { n: 2 },
    matches: false,
  },
  {
    name: 'wildcard \\* is a literal asterisk',
    pattern: { s: [{ wildcard: 'a\\*b' }] },
    event: { s: 'a*b' },
    matches: true,
  },
  {
    name: 'wildcard \\* does not act as a wildcard',
    pattern: { s: [{ wildcard: 'a\\*b' }] },
    event: { s: 'axxb' },
    matches: false,
  },
  {
    name: 'wildcard \\\\ is a literal backslash',
    pattern: { s: [{ wildcard: 'C:\\\\*' }] },
    event: { s: 'C:\\temp' },
    matches: true,
  },
  {
    name: 'wildcard regex characters are literal',
    pattern: { s: [{ wildcard: 'a.b(c)*' }] },
    event: { s: 'axb(c)d' },
    matches: false,
  },
  {
    name: 'wildcard * matches nothing too',
    pattern: { s: [{ wildcard: 'Simple*Service' }] },
    event: { s: 'SimpleService' },
    matches: true,
  },
  {
    name: 'IPv6 cidr',
    pattern: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
    event: { ip: '2001:db8:1234:1a00::dc8' },
    matches: true,
  },
  {
    name: 'IPv6 cidr outside the prefix',
    pattern: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
    event: { ip: '2001:db8:1234:1b00::1' },
    matches: false,
  },
  {
    name: 'cidr ignores strings that are not IP addresses',
    pattern: { ip: [{ cidr: '10.0.0.0/8' }] },
    event: { ip: 'ten.zero' },
    matches: false,
  },
  {
    name: 'one value array may mix operators (OR)',
    pattern: { s: ['x', { prefix: 'ab' }, { numeric: ['>', 10] }] },
    event: { s: 11 },
    matches: true,
  },
  {
    name: '$or inside a $or branch with a nested object',
    pattern: {
      $or: [{ a: ['1'] }, { detail: { $or: [{ b: ['2'] }, { c: { d: ['3'] } }] } }],
    },
    event: { a: '0', detail: { b: '0', c: { d: '3' } } },
    matches: true,
  },
  {
    name: 'fields next to a $or are still required',
    pattern: { source: ['s'], $or: [{ a: ['1'] }, { b: ['2'] }] },
    event: { source: 't', a: '1' },
    matches: false,
  },
  {
    name: 'a leaf pattern does not match an object value',
    pattern: { detail: ['x'] },
    event: { detail: { x: 'x' } },
    matches: false,
  },
];

describe('matchesEventPattern: AWS documentation examples', () => {
  const cases = [
    ...eventPatternsPage,
    ...nullValuesPage,
    ...arraysPage,
    ...contentFilteringPage,
    ...comparisonOperatorsPage,
    ...bestPracticesPage,
    ...eventRulerReadme,
  ];
  it.each(cases)('$name', ({ pattern, event, matches }) => {
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });
});

describe('matchesEventPattern: AWS behaviour beyond the docs', () => {
  it.each(awsBehaviour)('$name', ({ pattern, event, matches }) => {
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });
});

describe('matchesEventPattern: edge cases', () => {
  it.each(edgeCases)('$name', ({ pattern, event, matches }) => {
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });

  it('treats a non-object event as having no fields', () => {
    expect(matchesEventPattern({ a: [{ exists: false }] }, 'not an event')).toBe(true);
    expect(matchesEventPattern({ a: ['x'] }, null)).toBe(false);
  });

  it('throws on an invalid pattern instead of matching nothing', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2StateChange)).toThrow(InvalidEventPatternError);
  });

  it('compiles once and matches many events', () => {
    const compiled = compileEventPattern({ detail: { state: ['running'] } });
    expect(compiled.matches({ detail: { state: 'running' } })).toBe(true);
    expect(compiled.matches({ detail: { state: 'stopped' } })).toBe(false);
  });
});

describe('parseEventPattern: validation like PutRule / TestEventPattern', () => {
  // [pattern JSON, reason]; reasons marked (AWS) were recorded from AWS, the rest follow
  // AWS's matcher (aws/event-ruler) or are ours where it has none.
  const invalid: [string, string][] = [
    ['["not", "a", "dict"]', 'Filter is not an object'], // (AWS)
    ['{"int": 42}', '"int" must be an object or an array'], // (AWS)
    ['{"string": "my-value"}', '"string" must be an object or an array'], // (AWS)
    ['{"source": null}', '"source" must be an object or an array'],
    ['{}', 'Empty objects are not allowed'],
    ['{"detail": {}}', 'Empty objects are not allowed'],
    ['{"resources": []}', 'Empty arrays are not allowed'], // (AWS)
    ['{"source": [["a"]]}', 'Match value must be String, number, true, false, or null'],
    ['{"source": [{}]}', 'Match expression name not found'],
    ['{"source": [{"regex": "a.*"}]}', 'Unrecognized match type regex'],
    ['{"my_key": [{"EXISTS": true}]}', 'Unrecognized match type EXISTS'], // (AWS)
    ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 'Unrecognized match type NUMERIC'], // (AWS)
    ['{"source": [{"prefix": "a", "suffix": "b"}]}', 'Only one key allowed in match expression'],
    ['{"time": [{"prefix": 123}]}', 'prefix match pattern must be a string'], // (AWS)
    ['{"time": [{"prefix": ["2022-07-13"]}]}', 'prefix match pattern must be a string'], // (AWS)
    ['{"time": [{"prefix": {"exactly": "x"}}]}', 'Unsupported prefix pattern: exactly'],
    ['{"FileName": [{"suffix": 123}]}', 'suffix match pattern must be a string'], // (AWS)
    ['{"FileName": [{"suffix": [".png"]}]}', 'suffix match pattern must be a string'], // (AWS)
    [
      '{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}',
      'equals-ignore-case match pattern must be a string',
    ], // (AWS)
    [
      '{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}',
      'equals-ignore-case match pattern must be a string',
    ], // (AWS)
    ['{"EventBusArn": [{"wildcard": 123}]}', 'wildcard match pattern must be a string'], // (AWS)
    [
      '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}',
      'Consecutive wildcard characters at pos 26',
    ], // (AWS)
    ['{"s": [{"wildcard": "a\\\\b"}]}', 'Invalid escape character at pos 2'],
    ['{"s": [{"wildcard": "ab\\\\"}]}', 'Invalid escape character at pos 3'],
    ['{"c": [{"numeric": 5}]}', 'Value of numeric must be an array.'],
    ['{"c": [{"numeric": []}]}', 'Value of numeric must not be empty'],
    ['{"c": [{"numeric": [5]}]}', 'Invalid member in numeric match: 5'],
    ['{"c": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
    ['{"c": [{"numeric": ["=", "5"]}]}', 'Value of equals must be numeric'],
    ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 'Value of < must be numeric'], // (AWS)
    ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 'Bad numeric range operator: >'], // (AWS)
    ['{"c": [{"numeric": [">", 0, 5]}]}', 'Bad value in numeric range: 5'],
    ['{"c": [{"numeric": ["=", 5, "<", 6]}]}', 'Too many elements in numeric expression'],
    ['{"c": [{"numeric": ["<", 5, ">", 1]}]}', 'Too many elements in numeric expression'],
    ['{"c": [{"numeric": [">", 0, "<", 5, 6]}]}', 'Too many terms in numeric range expression'],
    ['{"c": [{"numeric": [">", 10, "<", 5]}]}', 'Bottom must be less than top'],
    ['{"c": [{"numeric": [">=", 5, "<=", 5]}]}', 'Bottom must be less than top'],
    ['{"c": [{"exists": "yes"}]}', 'exists match pattern must be either true or false.'],
    ['{"ip": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"], // (AWS)
    ['{"ip": [{"cidr": "xx.11.xx/24"}]}', 'Nonstandard IP address: xx.11.xx'], // (AWS)
    ['{"ip": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}', 'Nonstandard IP address: xxxx:db8:1234:1a00::'], // (AWS)
    ['{"ip": [{"cidr": "10.0.0.0/abc"}]}', 'Malformed CIDR, mask bits must be an integer'], // (AWS)
    ['{"ip": [{"cidr": "10.0.0.0/33"}]}', 'Malformed CIDR, mask bits must be between 0 and 32'],
    ['{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 'prefix match pattern must be a string'], // (AWS)
    ['{"s": [{"anything-but": null}]}', 'Value of anything-but must be an array or single string/number value.'],
    ['{"s": [{"anything-but": true}]}', 'Value of anything-but must be an array or single string/number value.'],
    ['{"s": [{"anything-but": [null]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
    [
      '{"s": [{"anything-but": ["a", 1]}]}',
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    ['{"s": [{"anything-but": {"exists": true}}]}', 'Unsupported anything-but pattern: exists'],
    ['{"s": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
    ['{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 'prefix/suffix match pattern must be a string'], // (AWS)
    [
      '{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}',
      'prefix/suffix match pattern must be a string',
    ], // (AWS)
    [
      '{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}',
      'prefix/suffix match pattern must be a string',
    ], // (AWS)
    [
      '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}',
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ], // (AWS)
    ['{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 'wildcard match pattern must be a string'], // (AWS)
    ['{"s": [{"anything-but": {"wildcard": "a**"}}]}', 'Consecutive wildcard characters at pos 2'],
    [
      '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}',
      'Value of anything-but must be an array or single string/number value.',
    ], // (AWS)
    ['{"$or": {"a": ["b"]}}', 'It must be an Array followed with $or.'],
    ['{"$or": [{"a": ["b"]}]}', 'There must have at least 2 Objects in $or relationship.'],
    ['{"$or": [{"a": ["b"]}, "c"]}', 'Only JSON object is allowed in array of $or relationship.'],
    [
      '{"$or": [{"prefix": ["b"]}, {"a": ["c"]}]}',
      'prefix is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    ['{"$or": [{"a": ["b"]}, {}]}', 'Empty objects are not allowed'],
  ];

  it.each(invalid)('rejects %s: %s', (patternJson, reason) => {
    let caught: unknown;
    try {
      parseEventPattern(patternJson);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    const error = caught as InvalidEventPatternError;
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`Event pattern is not valid. Reason: ${reason}`);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseEventPattern("{'bad': 'quotation'}")).toThrow(/^Event pattern is not valid\. Reason: /);
  });

  it('returns the parsed pattern when valid', () => {
    const json = JSON.stringify({
      source: ['aws.ec2'],
      detail: { $or: [{ state: [{ 'anything-but': { wildcard: ['*x*'] } }] }, { n: [{ numeric: ['>=', 1] }] }] },
    });
    expect(parseEventPattern(json)).toEqual(JSON.parse(json));
  });

  it('validates objects too (validateEventPattern)', () => {
    expect(validateEventPattern({ source: ['a'] })).toEqual({ source: ['a'] });
    expect(() => validateEventPattern({ source: [undefined] })).toThrow(InvalidEventPatternError);
    expect(() => validateEventPattern({ n: [Number.NaN] })).toThrow(InvalidEventPatternError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const scalarArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const keyArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const { eventObject } = fc.letrec<{ eventObject: Record<string, Json> }>((tie) => ({
  eventObject: fc.dictionary(
    keyArb,
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarArb,
      fc.array(scalarArb, { maxLength: 4 }),
      tie('eventObject'),
      fc.array(tie('eventObject'), { maxLength: 3 }),
    ),
    { maxKeys: 5 },
  ),
}));

const isObject = (value: Json): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A pattern asking for exactly the values the event has (skipping what a pattern cannot express). */
const patternFrom = (event: Record<string, Json>): Record<string, unknown> => {
  const pattern: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (isObject(value)) {
      const nested = patternFrom(value);
      if (Object.keys(nested).length > 0) pattern[key] = nested;
    } else if (Array.isArray(value)) {
      const objects = value.filter(isObject);
      const scalars = value.filter((item) => !isObject(item) && !Array.isArray(item));
      const nested = objects.map(patternFrom).find((candidate) => Object.keys(candidate).length > 0);
      if (nested) pattern[key] = nested;
      else if (scalars.length > 0) pattern[key] = scalars;
    } else {
      pattern[key] = [value];
    }
  }
  return pattern;
};

describe('matchesEventPattern: properties', () => {
  it('a pattern built from an event’s own values matches that event', () => {
    fc.assert(
      fc.property(eventObject, (event) => {
        const pattern = patternFrom(event);
        fc.pre(Object.keys(pattern).length > 0);
        expect(matchesEventPattern(pattern, event)).toBe(true);
      }),
    );
  });

  it('anything-but a value never matches that value, and matches any other value of its type', () => {
    const valueArb = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(valueArb, valueArb, (excluded, other) => {
        const pattern = { field: [{ 'anything-but': excluded }] };
        expect(matchesEventPattern(pattern, { field: excluded })).toBe(false);
        if (typeof other === typeof excluded && other !== excluded) {
          expect(matchesEventPattern(pattern, { field: other })).toBe(true);
        }
      }),
    );
  });

  it('a wildcard with every * and \\ escaped matches exactly its literal text', () => {
    const escapeWildcard = (text: string) => text.replace(/[\\*]/g, '\\$&');
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (text, extra) => {
        const pattern = { s: [{ wildcard: escapeWildcard(text) }] };
        expect(matchesEventPattern(pattern, { s: text })).toBe(true);
        expect(matchesEventPattern(pattern, { s: text + extra })).toBe(false);
      }),
    );
  });

  it('a numeric range (a, b] holds exactly for a < x <= b', () => {
    const numberArb = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    fc.assert(
      fc.property(numberArb, numberArb, numberArb, (a, b, x) => {
        fc.pre(a < b);
        const pattern = { n: [{ numeric: ['>', a, '<=', b] }] };
        expect(matchesEventPattern(pattern, { n: x })).toBe(a < x && x <= b);
      }),
    );
  });

  it('a string matches its own prefixes and itself ignoring case', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat({ max: 20 }), (text, cut) => {
        expect(matchesEventPattern({ s: [{ prefix: text.slice(0, cut) }] }, { s: text })).toBe(true);
        expect(matchesEventPattern({ s: [{ 'equals-ignore-case': text }] }, { s: text })).toBe(true);
      }),
    );
  });
});
