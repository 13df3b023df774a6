/**
 * The Appwrite 1.3 response models the GraphQL types are made of, one line per model: its keys, each
 * `key` (a String) or `key:Type`. Types: `Int`, `Float`, `Boolean`, `String`, another model's name,
 * a union of UNIONS, `[Type]` for lists. A leading `+` marks a free-form model (Document,
 * Preferences): its extra keys travel in a `data` JSON field. A model without keys (`none`) answers
 * `status: "OK"`. Every output field is nullable, as in 1.3 (a model's optional keys may be absent).
 *
 * Byte counts (file sizes, bucket limits, storage metrics) are `Float`: GraphQL's `Int` is 32-bit and
 * 1.3's Int fields fail for files above 2 GiB; the JSON number is the same either way.
 */
export const MODELS: Readonly<Record<string, string>> = {
  none: '',
  any: '+',
  document: '+ $id $collectionId $databaseId $createdAt $updatedAt $permissions:[String]',
  preferences: '+',

  database: '$id name $createdAt $updatedAt',
  collection: '$id $createdAt $updatedAt $permissions:[String] databaseId name enabled:Boolean documentSecurity:Boolean attributes:[Attributes] indexes:[index]',
  attributeString: `${attribute()} size:Int default`,
  attributeInteger: `${attribute()} min:Int max:Int default:Int`,
  attributeFloat: `${attribute()} min:Float max:Float default:Float`,
  attributeBoolean: `${attribute()} default:Boolean`,
  attributeEmail: `${attribute()} format default`,
  attributeEnum: `${attribute()} elements:[String] format default`,
  attributeIp: `${attribute()} format default`,
  attributeUrl: `${attribute()} format default`,
  attributeDatetime: `${attribute()} format default`,
  attributeRelationship: `${attribute()} relatedCollection relationType twoWay:Boolean twoWayKey onDelete side`,
  attributeList: 'total:Int attributes:[Attributes]',
  index: 'key type status attributes:[String] orders:[String]',
  log: 'event userId userEmail userName mode ip time osCode osName osVersion clientType clientCode clientName clientVersion clientEngine clientEngineVersion deviceName deviceBrand deviceModel countryCode countryName',

  account: '$id $createdAt $updatedAt name registration status:Boolean passwordUpdate email phone emailVerification:Boolean phoneVerification:Boolean prefs:preferences',
  user: '$id $createdAt $updatedAt name password hash hashOptions:HashOptions registration status:Boolean passwordUpdate email phone emailVerification:Boolean phoneVerification:Boolean prefs:preferences',
  algoMd5: 'type',
  algoSha: 'type',
  algoPhpass: 'type',
  algoBcrypt: 'type',
  algoScrypt: 'type costCpu:Int costMemory:Int costParallel:Int length:Int',
  algoScryptModified: 'type salt saltSeparator signerKey',
  algoArgon2: 'type memoryCost:Int timeCost:Int threads:Int',
  session: `$id $createdAt userId expire provider providerUid providerAccessToken providerAccessTokenExpiry providerRefreshToken ip ${client()} current:Boolean`,
  token: '$id $createdAt userId secret expire',
  jwt: 'jwt',

  locale: 'ip countryCode country continentCode continent eu:Boolean currency',
  country: 'name code',
  continent: 'name code',
  language: 'name code nativeName',
  currency: 'symbol name symbolNative decimalDigits:Int rounding:Float code namePlural',
  phone: 'code countryCode countryName',

  file: '$id bucketId $createdAt $updatedAt $permissions:[String] name signature mimeType sizeOriginal:Float chunksTotal:Int chunksUploaded:Int',
  bucket: '$id $createdAt $updatedAt $permissions:[String] fileSecurity:Boolean name enabled:Boolean maximumFileSize:Float allowedFileExtensions:[String] compression encryption:Boolean antivirus:Boolean',

  team: '$id $createdAt $updatedAt name total:Int prefs:preferences',
  membership: '$id $createdAt $updatedAt userId userName userEmail teamId teamName invited joined confirm:Boolean roles:[String]',

  function: '$id $createdAt $updatedAt execute:[String] name enabled:Boolean runtime deployment vars:[variable] events:[String] schedule scheduleNext schedulePrevious timeout:Int',
  runtime: '$id name version base image logo supports:[String]',
  deployment: '$id $createdAt $updatedAt resourceId resourceType entrypoint size:Float buildId activate:Boolean status buildStdout buildStderr buildTime:Int',
  execution: '$id $createdAt $updatedAt $permissions:[String] functionId trigger status statusCode:Int response stdout stderr duration:Float',
  variable: '$id $createdAt $updatedAt key value functionId',

  project: [
    '$id $createdAt $updatedAt name description teamId logo url legalName legalCountry legalState legalCity legalAddress legalTaxId',
    'authDuration:Int authLimit:Int authSessionsLimit:Int authPasswordHistory:Int authPasswordDictionary:Boolean',
    'providers:[provider] platforms:[platform] webhooks:[webhook] keys:[key] domains:[domain]',
    'authEmailPassword:Boolean authUsersAuthMagicURL:Boolean authAnonymous:Boolean authInvites:Boolean authJWT:Boolean authPhone:Boolean',
    ...['Account', 'Avatars', 'Databases', 'Locale', 'Health', 'Storage', 'Teams', 'Users', 'Functions', 'Graphql'].map((service) => `serviceStatusFor${service}:Boolean`),
  ].join(' '),
  webhook: '$id $createdAt $updatedAt name url events:[String] security:Boolean httpUser httpPass signatureKey',
  key: '$id $createdAt $updatedAt name expire scopes:[String] secret accessedAt sdks:[String]',
  domain: '$id $createdAt $updatedAt domain registerable tld verification:Boolean certificateId',
  provider: 'name appId secret enabled:Boolean',
  platform: '$id $createdAt $updatedAt name type key store hostname httpUser httpPass',

  healthAntivirus: 'version status',
  healthQueue: 'size:Int',
  healthStatus: 'ping:Int status',
  healthTime: 'remoteTime:Int localTime:Int diff:Int',

  metric: 'value:Float date',
  usageDatabases: usage('databasesCount documentsCount collectionsCount', 'databases documents collections'),
  usageDatabase: usage('documentsCount collectionsCount', 'documents collections'),
  usageCollection: usage('documentsCount', 'documents'),
  usageUsers: `${usage('usersCount', 'users')} sessionsCreate:[metric] sessionsProviderCreate:[metric] sessionsDelete:[metric]`,
  usageStorage: usage('storage filesCount bucketsCount', 'buckets files'),
  usageBuckets: usage('filesCount filesStorage', 'files'),
  usageFunctions: 'range executionsTotal executionsFailure executionsSuccess executionsTime buildsTotal buildsFailure buildsSuccess buildsTime'.replace(/ (\w+)/g, ' $1:[metric]'),
  usageProject: 'range requests network executions documents databases users storage buckets'.replace(/ (\w+)/g, ' $1:[metric]'),
  consoleVariables: '_APP_DOMAIN_TARGET _APP_STORAGE_LIMIT:Float _APP_FUNCTIONS_SIZE_LIMIT:Float _APP_USAGE_STATS',

  ...lists({
    documentList: 'documents:document',
    collectionList: 'collections:collection',
    databaseList: 'databases:database',
    indexList: 'indexes:index',
    userList: 'users:user',
    sessionList: 'sessions:session',
    logList: 'logs:log',
    fileList: 'files:file',
    bucketList: 'buckets:bucket',
    teamList: 'teams:team',
    membershipList: 'memberships:membership',
    functionList: 'functions:function',
    runtimeList: 'runtimes:runtime',
    deploymentList: 'deployments:deployment',
    executionList: 'executions:execution',
    projectList: 'projects:project',
    webhookList: 'webhooks:webhook',
    keyList: 'keys:key',
    platformList: 'platforms:platform',
    domainList: 'domains:domain',
    countryList: 'countries:country',
    continentList: 'continents:continent',
    languageList: 'languages:language',
    currencyList: 'currencies:currency',
    phoneList: 'phones:phone',
    variableList: 'variables:variable',
  }),
};

/** The keys every attribute model starts with. */
function attribute(): string {
  return 'key type status required:Boolean array:Boolean';
}

/** Where a session or log was made from (parsed user agent and IP). */
function client(): string {
  return 'osCode osName osVersion clientType clientCode clientName clientVersion clientEngine clientEngineVersion deviceName deviceBrand deviceModel countryCode countryName';
}

/** A usage model: `range`, the given counters, then create/read/update/delete series of each resource. */
function usage(counters: string, resources: string): string {
  const crud = resources.split(' ').flatMap((resource) => ['Create', 'Read', 'Update', 'Delete'].map((action) => `${resource}${action}`));
  return ['range', ...counters.split(' '), ...crud].map((key, index) => (index === 0 ? key : `${key}:[metric]`)).join(' ');
}

/** `{ total, <key>: [<model>] }` list models, written `name: 'key:model'`. */
function lists(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([name, spec]) => [name, `total:Int ${spec.replace(':', ':[')}]`]));
}

/** Which member of a union a value is; undefined when none fits. */
export interface UnionDefinition {
  members: readonly string[];
  memberOf(value: Record<string, unknown>): string | undefined;
}

const ATTRIBUTE_BY_TYPE: Readonly<Record<string, string>> = {
  integer: 'attributeInteger',
  double: 'attributeFloat',
  boolean: 'attributeBoolean',
  datetime: 'attributeDatetime',
  relationship: 'attributeRelationship',
};
const ATTRIBUTE_BY_FORMAT: Readonly<Record<string, string>> = { email: 'attributeEmail', enum: 'attributeEnum', ip: 'attributeIp', url: 'attributeUrl' };
const ALGO_BY_TYPE: Readonly<Record<string, string>> = {
  argon2: 'algoArgon2',
  bcrypt: 'algoBcrypt',
  md5: 'algoMd5',
  phpass: 'algoPhpass',
  scrypt: 'algoScrypt',
  scryptMod: 'algoScryptModified',
  sha: 'algoSha',
};

/**
 * The two unions of 1.3: a collection's attributes (by `type`, strings by `format`; 1.3 showed enums
 * as plain strings, here they are AttributeEnum with their `elements`) and a user's hash options.
 */
export const UNIONS: Readonly<Record<string, UnionDefinition>> = {
  Attributes: {
    members: ['attributeBoolean', 'attributeInteger', 'attributeFloat', 'attributeEmail', 'attributeEnum', 'attributeUrl', 'attributeIp', 'attributeDatetime', 'attributeRelationship', 'attributeString'],
    memberOf: (value) => (value.type === 'string' ? (ATTRIBUTE_BY_FORMAT[String(value.format ?? '')] ?? 'attributeString') : (ATTRIBUTE_BY_TYPE[String(value.type)] ?? 'attributeString')),
  },
  HashOptions: {
    members: ['algoArgon2', 'algoScrypt', 'algoScryptModified', 'algoBcrypt', 'algoPhpass', 'algoSha', 'algoMd5'],
    memberOf: (value) => ALGO_BY_TYPE[String(value.type)],
  },
};
