/** Ready question sets a survey can start from (what the programme used to take from its pulse tool). */
import type { QuestionInput, QuestionSetId, Topic } from './model';

export interface QuestionSet {
  questionSetId: QuestionSetId;
  title: string;
  /** The topic a survey built on it usually has. */
  suggestedTopic: Topic;
  questions: QuestionInput[];
}

export const questionSets: readonly QuestionSet[] = [
  {
    questionSetId: 'enps',
    title: 'Employee Net Promoter Score',
    suggestedTopic: 'engagement',
    questions: [
      { type: 'enps', text: 'How likely are you to recommend working here to a friend?' },
      { type: 'text', text: 'What is the main reason for your score?' },
    ],
  },
  {
    questionSetId: 'change-readiness',
    title: 'Change readiness',
    suggestedTopic: 'change',
    questions: [
      { type: 'scale', text: 'I understand why this change is being made.' },
      { type: 'scale', text: 'I know what the change means for my own work.' },
      { type: 'scale', text: 'I have the support I need to adapt to it.' },
      {
        type: 'choice',
        text: 'Overall, how do you feel about the change?',
        options: ['Positive', 'Neutral', 'Concerned'],
      },
      { type: 'text', text: 'What would make this change easier for you?' },
    ],
  },
  {
    questionSetId: 'tool-satisfaction',
    title: 'Tool satisfaction',
    suggestedTopic: 'tool',
    questions: [
      { type: 'scale', text: 'The tool helps me get my work done.' },
      { type: 'scale', text: 'The tool is reliable.' },
      { type: 'scale', text: 'I know where to get help with the tool.' },
      { type: 'text', text: 'What one thing would you change about the tool?' },
    ],
  },
  {
    questionSetId: 'role-clarity',
    title: 'Role clarity',
    suggestedTopic: 'process',
    questions: [
      { type: 'scale', text: 'I know what is expected of me in my role.' },
      { type: 'scale', text: 'I know how my work is evaluated.' },
      { type: 'scale', text: 'My priorities are clear to me.' },
      { type: 'text', text: 'What is least clear about your role right now?' },
    ],
  },
];

export const questionSetOf = (id: QuestionSetId): QuestionSet => {
  const found = questionSets.find((set) => set.questionSetId === id);
  if (!found) throw new Error(`No question set ${id}`);
  return found;
};
