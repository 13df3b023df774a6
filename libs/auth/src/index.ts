/**
 * @appconda/auth — identity and authorization primitives shared by the identity API and the request
 * pipeline: password hashing for every algorithm Appwrite 1.3 imports, session secrets and cookies,
 * account JWTs, permission/role strings and their evaluation, the Redis abuse limiter and the
 * origin/CORS policy. Nothing here touches the database; callers pass records in.
 */
export * from './hashing/hash-options';
export * from './hashing/password';
export { phpassCrypt, phpassHash, phpassVerify } from './hashing/phpass';
export { firebaseScrypt } from './hashing/scrypt';
export * from './session/secrets';
export * from './session/cookies';
export * from './session/verify';
export * from './jwt/jwt';
export * from './authorization/role';
export * from './authorization/permission';
export * from './authorization/roles-for-user';
export * from './authorization/authorization';
export * from './authorization/scopes';
export * from './abuse/abuse-key';
export * from './abuse/abuse.limiter';
export * from './abuse/abuse.module';
export * from './origin';
