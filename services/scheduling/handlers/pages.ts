/** The small HTML pages the links in emails open. Everything shown is escaped. */
import { escapeHtml } from '../domain/messages';

const page = (title: string, body: string) =>
  [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">',
    `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>`,
    body,
    '</body></html>',
  ].join('');

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

/** A form that posts back to the same link: the click is what records the answer. */
const button = (action: string, label: string) =>
  `<form method="post" action="${escapeHtml(action)}" style="display:inline-block;margin-right:1rem"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">${escapeHtml(label)}</button></form>`;

export const messagePage = (title: string, text: string) => page(title, paragraph(text));

export const attendanceQuestionPage = (input: {
  sessionTitle: string;
  when: string;
  action: (answer: 'yes' | 'no') => string;
  preselected?: 'yes' | 'no';
}) =>
  page(
    'Did it happen?',
    [
      paragraph(`Did ${input.sessionTitle} on ${input.when} take place?`),
      input.preselected
        ? button(
            input.action(input.preselected),
            input.preselected === 'yes' ? 'Yes, it happened' : 'No, it did not happen',
          )
        : '',
      ...(['yes', 'no'] as const)
        .filter((answer) => answer !== input.preselected)
        .map((answer) => button(input.action(answer), answer === 'yes' ? 'Yes, it happened' : 'No, it did not happen')),
    ].join(''),
  );

export const unsubscribeQuestionPage = (input: { name: string; kind: string; action: string }) =>
  page(
    'Stop these emails?',
    [
      paragraph(`${input.name}, you will no longer get "${input.kind}" emails. Calendar invites still come.`),
      button(input.action, 'Stop these emails'),
    ].join(''),
  );
