/**
 * @appconda/certificates — custom domains' and `_APP_DOMAIN`'s TLS certificates (Appwrite 1.3's
 * certificates worker, with acme-client against `_APP_ACME_DIRECTORY`).
 * - apps/worker-certificates imports `CertificatesModule`: the certificate job handler.
 * - apps/worker-deletes imports `CertificateDeletesModule`: a deleted domain's certificate files and record.
 * - apps/api imports `CertificatesApiModule`: the HTTP-01 challenge route and the main domain's job at start.
 * - the projects lib verifies domains with `CNAME_RESOLVER` (`_APP_DNS`) and `isPublicName`.
 */
export * from './acme-challenge.route';
export * from './acme-challenges';
export * from './acme-issuer';
export * from './certificate-deletes.handler';
export * from './certificate-files';
export * from './certificate-locks';
export * from './certificates-api.module';
export * from './certificates.handler';
export * from './certificates.module';
export * from './dns';
export * from './domain-names';
export * from './main-domain';
