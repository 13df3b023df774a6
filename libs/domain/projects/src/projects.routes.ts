import { AuthType, RouteDeclaration } from '@appconda/core';

// Every projects/console route is a console route: a console user's session (role users or a
// console team role) holding projects.read / projects.write. Team membership is checked in the services.
const CONSOLE_AUTH = [AuthType.Admin, AuthType.Session];

export const READ: RouteDeclaration = { auth: CONSOLE_AUTH, scope: 'projects.read' };
export const WRITE: RouteDeclaration = { auth: CONSOLE_AUTH, scope: 'projects.write' };
export const CREATED: RouteDeclaration = { ...WRITE, status: 201 };
export const DELETED: RouteDeclaration = { ...WRITE, status: 204 };
