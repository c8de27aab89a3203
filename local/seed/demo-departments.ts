/**
 * `--seed demo`, escalation part: the departments that own escalations and the routing rules
 * to them, set through the API as an admin would. Departments and rules that exist are left as
 * they are, so seeding again changes nothing.
 */
const weekdays = [{ start: '09:00', end: '17:00' }];
const officeHours = { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] };
const targets = {
  critical: { firstResponseMinutes: 30, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 2 * 60, resolutionMinutes: 2 * 8 * 60 },
  medium: { firstResponseMinutes: 8 * 60, resolutionMinutes: 5 * 8 * 60 },
  low: { firstResponseMinutes: 2 * 8 * 60, resolutionMinutes: 10 * 8 * 60 },
};

export const demoDepartments: Record<string, { name: string; leadEmail: string; timezone: string }> = {
  'life-coach': { name: 'Life coach', leadEmail: 'life-coach@example.com', timezone: 'Europe/London' },
  it: { name: 'IT service desk', leadEmail: 'it-lead@example.com', timezone: 'Europe/Berlin' },
  hr: { name: 'People team', leadEmail: 'people-lead@example.com', timezone: 'Europe/London' },
  pmo: { name: 'Project management office', leadEmail: 'pmo-lead@example.com', timezone: 'America/New_York' },
  learning: { name: 'Learning & development', leadEmail: 'learning-lead@example.com', timezone: 'Europe/London' },
};

export const demoRoutingRules = [
  { ruleId: 'tools-to-it', category: 'tools', departmentId: 'it' },
  { ruleId: 'impediments-to-it', category: 'technical-impediment', departmentId: 'it' },
  { ruleId: 'policy-to-hr', category: 'policy', departmentId: 'hr' },
  { ruleId: 'role-clarity-to-hr', category: 'role-clarity', departmentId: 'hr' },
  { ruleId: 'culture-to-hr', category: 'culture', departmentId: 'hr' },
  { ruleId: 'careers-to-learning', category: 'career-certification', departmentId: 'learning' },
  { ruleId: 'process-to-pmo', category: 'process', departmentId: 'pmo' },
  { ruleId: 'strategy-to-pmo', category: 'strategy', departmentId: 'pmo' },
];

export interface DepartmentSeedSummary {
  departmentsCreated: string[];
  routingRulesVersion: number;
}

export const seedDemoDepartments = async (apiUrl: string, adminToken: string): Promise<DepartmentSeedSummary> => {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const listed = await call('GET', '/departments?limit=100');
  const stored = new Set(((listed.body.items ?? []) as { departmentId: string }[]).map((item) => item.departmentId));
  const departmentsCreated: string[] = [];
  for (const [departmentId, department] of Object.entries(demoDepartments)) {
    if (stored.has(departmentId)) continue;
    const put = await call('PUT', `/departments/${departmentId}`, {
      ...department,
      businessHours: officeHours,
      slaTargets: targets,
    });
    if (put.status !== 201 && put.status !== 200)
      throw new Error(`PUT /departments/${departmentId} answered ${put.status}: ${JSON.stringify(put.body)}`);
    departmentsCreated.push(departmentId);
  }
  const current = await call('GET', '/routing-rules');
  let version = Number(current.body.version);
  if (version === 0) {
    const put = await call('PUT', '/routing-rules', {
      basedOnVersion: 0,
      rules: demoRoutingRules,
      fallbackDepartmentId: 'life-coach',
    });
    if (put.status !== 200) throw new Error(`PUT /routing-rules answered ${put.status}: ${JSON.stringify(put.body)}`);
    version = Number(put.body.version);
  }
  return { departmentsCreated, routingRulesVersion: version };
};
