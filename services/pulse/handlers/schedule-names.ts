/** The pulse sweeper's schedules, as the declaration names them and the sweeper tells them apart. */
export const SURVEY_ROUNDS_SCHEDULE = 'survey-rounds';
export const CHECK_IN_REMINDERS_SCHEDULE = 'check-in-reminders';
export const MAIL_SCHEDULE = 'mail';
