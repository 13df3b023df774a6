import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { BuildJobType, DeleteJobType, QueueName } from '@appconda/contracts';
import { AppException, ErrorType, generateId, isValidCustomId, RequestContext, setEventParam, setEventPayload } from '@appconda/core';
import { BuildRepository, DeploymentEntity, DeploymentRepository, FunctionEntity, FunctionRepository } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { chunkNumbers, chunksStream, chunkSlot, ContentRange, FilePart, LocalDevice, parseContentRange, readUpload, requestHeader, UploadRequest, writeChunk } from '@appconda/storage';
import path from 'node:path';

import { Deployment, FunctionModel, toDeploymentModel } from './functions.dto';
import { FunctionsService, ListQueryDto } from './functions.service';

/** gzip's magic bytes: a deployment must be a `.tar.gz`. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Where a project's deployment code lives on the functions volume (relative keys). */
export const deploymentFolder = (projectId: string) => `app-${projectId}`;
export const chunkFolder = (projectId: string, deploymentId: string) => `${deploymentFolder(projectId)}/tmp/${deploymentId}`;
export const codeKey = (projectId: string, deploymentId: string) => `${deploymentFolder(projectId)}/${deploymentId}.tar.gz`;

interface ReceivedChunk {
  deploymentId: string;
  chunk: number;
  chunks: number;
  existing: DeploymentEntity | null;
}

/**
 * Deployments: the chunked `.tar.gz` upload (storage's Content-Range protocol, field `code`, at most
 * `_APP_FUNCTIONS_SIZE_LIMIT` bytes) onto the functions volume, which enqueues the build once the
 * last chunk is in; list/get with the build's status and output; activation; deletion; build retries.
 */
@Injectable()
export class DeploymentsService {
  private readonly device: LocalDevice;
  private readonly root: string;
  private readonly sizeLimit: number;

  constructor(
    private readonly builds: BuildRepository,
    @InjectJobQueue(QueueName.Builds) private readonly buildQueue: JobQueue<QueueName.Builds>,
    config: AppConfig,
    private readonly deployments: DeploymentRepository,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly functions: FunctionRepository,
    private readonly functionsService: FunctionsService,
  ) {
    this.root = path.resolve(config.get('storage').paths.functions);
    this.device = new LocalDevice(this.root);
    this.sizeLimit = config.get('functions').sizeLimit;
  }

  async create(ctx: RequestContext, functionId: string, request: UploadRequest): Promise<Deployment> {
    const fn = await this.functionsService.find(ctx.projectId, functionId);
    const rangeHeader = requestHeader(request, 'content-range');
    const range = rangeHeader ? parseContentRange(rangeHeader) : undefined;
    if (range && range.size > this.sizeLimit) throw new AppException(ErrorType.StorageInvalidFileSize);
    const { fields, received } = await readUpload(
      request,
      { fileField: 'code', maxFileBytes: this.sizeLimit },
      (part) => this.receive(ctx, fn, range, range ? requestHeader(request, 'x-appwrite-id') : undefined, part),
      (chunk) => this.discard(ctx.projectId, chunk),
    );
    if (!received) {
      if (fields.entrypoint === undefined) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "entrypoint" is not optional.');
      throw new AppException(ErrorType.StorageFileEmpty, 'No file sent');
    }
    try {
      const entrypoint = fields.entrypoint;
      if (typeof entrypoint !== 'string' || entrypoint === '') throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "entrypoint" is not optional.');
      if ([...entrypoint].length > 1028) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid entrypoint: Value must be a valid string and no longer than 1028 chars');
      const activate = parseBoolean(fields.activate);
      return await this.record(ctx, fn, received, range, entrypoint, activate);
    } catch (error) {
      await this.discard(ctx.projectId, received);
      throw error;
    }
  }

  async list(ctx: RequestContext, functionId: string, dto: ListQueryDto): Promise<{ total: number; deployments: Deployment[] }> {
    const fn = await this.functionsService.find(ctx.projectId, functionId);
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), SystemListSchemas.deployments), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.deployments.findOfFunction(ctx.projectId, String(fn.internalId), groups.cursor.id);
      if (!cursor) throw cursorNotFound(groups.cursor.id);
      cursorRow = { ...toDeploymentModel(cursor, null), $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt };
    }
    const query = compileQueries(groups, { cursorRow, schema: SystemListSchemas.deployments });
    const { rows, total } = await this.deployments.listByQuery(ctx.projectId, query, { where: { functionInternalId: String(fn.internalId) } });
    const builds = await this.builds.findMany(ctx.projectId, rows.map((row) => row.buildId));
    return { total, deployments: rows.map((row) => toDeploymentModel(row, builds.get(row.buildId))) };
  }

  async get(ctx: RequestContext, functionId: string, deploymentId: string): Promise<Deployment> {
    const { deployment } = await this.find(ctx.projectId, functionId, deploymentId);
    return toDeploymentModel(deployment, await this.buildOf(ctx.projectId, deployment));
  }

  /** Makes a deployment with a ready build the function's active one; answers the function. */
  async activate(ctx: RequestContext, functionId: string, deploymentId: string): Promise<FunctionModel> {
    const { fn, deployment } = await this.find(ctx.projectId, functionId, deploymentId);
    const build = await this.buildOf(ctx.projectId, deployment);
    if (!build) throw new AppException(ErrorType.BuildNotFound);
    if (build.status !== 'ready') throw new AppException(ErrorType.BuildNotReady);
    setEventParam(ctx, 'functionId', fn.uid);
    setEventParam(ctx, 'deploymentId', deployment.uid);
    const row = await this.functions.update(ctx.projectId, fn.uid, { deployment: deployment.uid });
    if (!row) throw new AppException(ErrorType.FunctionNotFound);
    return this.functionsService.get(ctx, row.uid);
  }

  /** Removes the deployment row (and unsets it on its function); its code, build and runtimes go in worker-deletes. */
  async delete(ctx: RequestContext, functionId: string, deploymentId: string): Promise<void> {
    const { fn, deployment } = await this.find(ctx.projectId, functionId, deploymentId);
    setEventParam(ctx, 'functionId', fn.uid);
    setEventParam(ctx, 'deploymentId', deployment.uid);
    setEventPayload(ctx, toDeploymentModel(deployment, await this.buildOf(ctx.projectId, deployment)));
    if (!(await this.deployments.delete(ctx.projectId, deployment.uid))) throw new AppException(ErrorType.DeploymentNotFound);
    if (fn.deployment === deployment.uid) await this.functions.update(ctx.projectId, fn.uid, { deployment: '' });
    await this.deletes.add({
      type: DeleteJobType.Deployments,
      projectId: ctx.projectId,
      document: { $id: deployment.uid, $internalId: String(deployment.internalId), collection: 'deployments' },
    });
  }

  /** Retries a failed build (204); any other build status is 400 build_in_progress. */
  async retryBuild(ctx: RequestContext, functionId: string, deploymentId: string, buildId: string): Promise<void> {
    const { fn, deployment } = await this.find(ctx.projectId, functionId, deploymentId);
    const build = await this.builds.findByUid(ctx.projectId, buildId);
    if (!build || build.deploymentId !== deployment.uid) throw new AppException(ErrorType.BuildNotFound);
    // Only one retry of a failed build wins: the others find it no longer failed.
    if (build.status !== 'failed' || !(await this.builds.transition(ctx.projectId, build.uid, 'failed', 'processing'))) {
      throw new AppException(ErrorType.BuildInProgress, 'Build not failed');
    }
    setEventParam(ctx, 'functionId', fn.uid);
    setEventParam(ctx, 'deploymentId', deployment.uid);
    const job = { type: BuildJobType.Retry, projectId: ctx.projectId, functionId: fn.uid, deploymentId: deployment.uid };
    await this.buildQueue.add(job, { jobId: `${ctx.projectId}.${deployment.uid}.retry.${Date.now()}` });
  }

  private async find(projectId: string, functionId: string, deploymentId: string): Promise<{ fn: FunctionEntity; deployment: DeploymentEntity }> {
    const fn = await this.functionsService.find(projectId, functionId);
    const deployment = await this.deployments.findOfFunction(projectId, String(fn.internalId), deploymentId);
    if (!deployment) throw new AppException(ErrorType.DeploymentNotFound);
    return { fn, deployment };
  }

  private buildOf(projectId: string, deployment: DeploymentEntity) {
    return deployment.buildId ? this.builds.findByUid(projectId, deployment.buildId) : Promise.resolve(null);
  }

  /** Checks the `code` part (a `.gz` name, a deployment id) and stores it as one chunk of its upload. */
  private async receive(ctx: RequestContext, fn: FunctionEntity, range: ContentRange | undefined, headerId: string | undefined, part: FilePart): Promise<ReceivedChunk> {
    const drain = () => part.file.resume();
    // 1.3 FileExt([gz]): the upload's name must end in .gz (code.tar.gz).
    if (!/\.gz$/i.test(part.filename ?? '')) {
      drain();
      throw new AppException(ErrorType.StorageFileTypeUnsupported, 'The deployment code must be a gzip-compressed tar archive (.tar.gz).');
    }
    const deploymentId = headerId || generateId();
    if (!isValidCustomId(deploymentId) || deploymentId === 'unique()') {
      drain();
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid x-appwrite-id: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore.');
    }
    const existing = await this.deployments.findByUid(ctx.projectId, deploymentId);
    if (existing && (String(existing.functionInternalId) !== String(fn.internalId) || Number(existing.chunksUploaded) >= Number(existing.chunksTotal))) {
      drain();
      throw new AppException(ErrorType.DocumentAlreadyExists, 'A deployment with the requested ID already exists.');
    }
    let slot: { chunk: number; chunks: number };
    try {
      slot = chunkSlot(range, existing ? Number(existing.chunksTotal) : undefined);
    } catch (error) {
      drain();
      throw error;
    }
    const key = `${chunkFolder(ctx.projectId, deploymentId)}/${slot.chunk}.part`;
    await writeChunk(this.device, key, part, () => (existing ? this.device.delete(key) : this.device.deleteDirectory(chunkFolder(ctx.projectId, deploymentId))));
    return { deploymentId, ...slot, existing };
  }

  /** Undoes a refused chunk: a new upload's folder goes entirely, a resumed one keeps its earlier chunks. */
  private async discard(projectId: string, received: ReceivedChunk): Promise<void> {
    if (received.existing) await this.device.delete(`${chunkFolder(projectId, received.deploymentId)}/${received.chunk}.part`).catch(() => undefined);
    else await this.device.deleteDirectory(chunkFolder(projectId, received.deploymentId)).catch(() => undefined);
  }

  /** Records the chunk; once all are in, assembles the `.tar.gz`, checks it is gzip, and enqueues its build. */
  private async record(ctx: RequestContext, fn: FunctionEntity, received: ReceivedChunk, range: ContentRange | undefined, entrypoint: string, activate: boolean): Promise<Deployment> {
    const { deploymentId, chunks, existing } = received;
    const folder = chunkFolder(ctx.projectId, deploymentId);
    const uploaded = chunkNumbers(await this.device.list(folder), chunks).length;
    setEventParam(ctx, 'functionId', fn.uid);
    setEventParam(ctx, 'deploymentId', deploymentId);
    const key = codeKey(ctx.projectId, deploymentId);
    const base = { entrypoint, activate, path: path.join(this.root, key), chunksTotal: chunks, chunksUploaded: uploaded, search: `${deploymentId} ${entrypoint}` };
    if (uploaded < chunks) {
      const row = existing
        ? await this.deployments.update(ctx.projectId, deploymentId, { chunksUploaded: uploaded })
        : await this.deployments.create(ctx.projectId, { uid: deploymentId, ...this.owner(fn), ...base, size: range?.size ?? 0, metadata: {} });
      if (!row) throw new AppException(ErrorType.DeploymentNotFound);
      return toDeploymentModel(row, null);
    }
    const size = await this.device.write(key, chunksStream(this.device, folder, chunks));
    let row: DeploymentEntity | null;
    try {
      await this.assertGzip(key);
      row = existing ? await this.deployments.update(ctx.projectId, deploymentId, { ...base, size }) : await this.deployments.create(ctx.projectId, { uid: deploymentId, ...this.owner(fn), ...base, size, metadata: {} });
      if (!row) throw new AppException(ErrorType.DeploymentNotFound);
      if (activate) await this.deployments.deactivateOthers(ctx.projectId, String(fn.internalId), deploymentId);
      await this.buildQueue.add({ type: BuildJobType.Deployment, projectId: ctx.projectId, functionId: fn.uid, deploymentId });
    } catch (error) {
      await this.device.delete(key).catch(() => undefined);
      if (!existing) await this.deployments.delete(ctx.projectId, deploymentId).catch(() => undefined);
      throw error;
    }
    await this.device.deleteDirectory(folder).catch(() => undefined);
    return toDeploymentModel(row, null);
  }

  private owner(fn: FunctionEntity) {
    return { functionInternalId: String(fn.internalId), resourceId: fn.uid, resourceType: 'functions', buildId: '', permissions: ['read("any")', 'update("any")', 'delete("any")'] };
  }

  private async assertGzip(key: string): Promise<void> {
    const stream = await this.device.read(key, { start: 0, end: 1 });
    const head: Buffer[] = [];
    for await (const chunk of stream) head.push(chunk as Buffer);
    if (!Buffer.concat(head).subarray(0, 2).equals(GZIP_MAGIC)) {
      throw new AppException(ErrorType.StorageFileTypeUnsupported, 'The deployment code is not gzip-compressed: upload a .tar.gz archive.');
    }
  }
}

/** 1.3 `Boolean(true)`: booleans, and "true"/"false"/"1"/"0" as multipart sends them. */
function parseBoolean(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid activate: Value must be a valid boolean');
}
