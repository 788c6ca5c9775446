// An error a control operation answers with: an HTTP status and a message a user can act on.
import type { ApiErrorBody } from '../../../shared/api/operations.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ApiErrorBody['errors'],
  ) {
    super(message);
  }
}

export const UNAUTHORIZED_CONTROL = 'Unauthorized: send "Authorization: Bearer <admin or dashboard token>"';
