/** JWT groups are the roles (Cognito user-pool groups in AWS, the local issuer's `cognito:groups`). */
export const roles = ['employee', 'mentor', 'life-coach', 'admin', 'department'] as const;
export type Role = (typeof roles)[number];
