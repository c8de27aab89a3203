import type { SegmentKey, WithheldReason } from './anonymity';
import type { SegmentFigures } from './figures';

/** A released round's results: the figures of its shown segments, and which were withheld. */
export interface StoredResults {
  surveyId: string;
  roundId: string;
  round: number;
  releasedAt: string;
  /** The threshold the decision was made with. */
  threshold: number;
  shown: { segment: SegmentKey; figures: SegmentFigures }[];
  /** Kept for the service's own checks; the API says only that they were withheld. */
  withheld: { segment: SegmentKey; reason: WithheldReason }[];
}

/** One message of an anonymous conversation about a comment. */
export interface ThreadMessage {
  messageId: string;
  from: 'life-coach' | 'respondent';
  text: string;
  /** The day only: nothing finer that could be matched against request logs. */
  sentOn: string;
}
