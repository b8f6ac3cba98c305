import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  TERRAFORM_MODULE_PATH_ANNOTATION,
  TerraformModuleInterface,
} from '@infra-hub/plugin-infra-compliance-common';
import { terraformModuleInterface } from '@infra-hub/plugin-infra-compliance-node';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The most `.tf` files read for one module (a module is one folder). */
const MAX_MODULE_FILES = 500;
const CACHE_KEY = 'terraform-interface';

type Folder = { type: 'file'; dir: string } | { type: 'url'; url: string };

/** Where the annotation points, from the entity's location; undefined when it cannot. */
function folderOf(
  location: LocationSpec,
  relative: string,
): Folder | undefined {
  if (location.type === 'file') {
    return {
      type: 'file',
      dir: path.resolve(path.dirname(location.target), relative),
    };
  }
  if (location.type === 'url') {
    try {
      return {
        type: 'url',
        url: new URL(
          relative.endsWith('/') ? relative : `${relative}/`,
          location.target,
        ).toString(),
      };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const folderKey = (f: Folder) =>
  f.type === 'file' ? `file:${f.dir}` : `url:${f.url.replace(/\/$/, '')}`;

/**
 * Records the interface of `terraform-module` Components from their code: the `.tf` files of the
 * folder the annotation `infra-hub.io/terraform-module-path` names (relative to the entity's
 * catalog file or URL; read from disk or through Backstage's URL readers), parsed with
 * `@cdktn/hcl2json`, become `spec.terraform` (inputs, outputs, providers, required version,
 * called modules, resource types). A module calling another whose folder a catalogued module has
 * gets `dependsOn` it (and it `dependencyOf` the caller), so a module page lists the root stacks
 * that use it. Code that does not parse is reported on the entity (file and line) and the last
 * interface read stays.
 */
export class InfraTerraformModuleProcessor implements CatalogProcessor {
  /** The module folders seen, by key, to the entity that describes each. */
  private readonly folders = new Map<string, string>();

  constructor(
    private readonly deps: { reader: UrlReaderService; logger: LoggerService },
  ) {}

  getProcessorName() {
    return 'InfraTerraformModuleProcessor';
  }

  private async read(folder: Folder) {
    if (folder.type === 'file') {
      const names = (await fs.readdir(folder.dir))
        .filter(n => n.endsWith('.tf'))
        .slice(0, MAX_MODULE_FILES);
      return Promise.all(
        names.map(async file => ({
          file,
          text: await fs.readFile(path.join(folder.dir, file), 'utf8'),
        })),
      );
    }
    const tree = await this.deps.reader.readTree(folder.url);
    const files = (await tree.files())
      .filter(f => f.path.endsWith('.tf') && !f.path.includes('/'))
      .slice(0, MAX_MODULE_FILES);
    return Promise.all(
      files.map(async f => ({
        file: f.path,
        text: (await f.content()).toString('utf8'),
      })),
    );
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const relative =
      entity.metadata.annotations?.[TERRAFORM_MODULE_PATH_ANNOTATION];
    if (
      entity.kind !== 'Component' ||
      (entity.spec as { type?: unknown })?.type !== 'terraform-module' ||
      !relative
    )
      return entity;
    const folder = folderOf(location, relative);
    if (!folder) {
      emit(
        processingResult.inputError(
          location,
          `${TERRAFORM_MODULE_PATH_ANNOTATION}: cannot resolve '${relative}' from a ${location.type} location`,
        ),
      );
      return entity;
    }
    const self = stringifyEntityRef(entity);
    this.folders.set(folderKey(folder), self);

    let terraform: TerraformModuleInterface | undefined;
    try {
      const files = await this.read(folder);
      if (!files.length) throw new Error(`no .tf files in '${relative}'`);
      terraform = await terraformModuleInterface(files);
      await cache.set(CACHE_KEY, terraform as unknown as JsonObject);
    } catch (e) {
      // The entity keeps what was read last; the reason is on it (file and line when parsing).
      emit(
        processingResult.inputError(
          location,
          `${TERRAFORM_MODULE_PATH_ANNOTATION} '${relative}': ${
            (e as Error).message
          }`,
        ),
      );
      terraform = (await cache.get<JsonObject>(CACHE_KEY)) as unknown as
        | TerraformModuleInterface
        | undefined;
      if (!terraform) return entity;
    }

    // The modules it calls that are catalogued themselves (local sources: a relative folder).
    const source = parseEntityRef(self);
    for (const call of terraform.modules) {
      if (!call.source.startsWith('./') && !call.source.startsWith('../'))
        continue;
      const called: Folder =
        folder.type === 'file'
          ? { type: 'file', dir: path.resolve(folder.dir, call.source) }
          : {
              type: 'url',
              url: new URL(`${call.source}/`, folder.url).toString(),
            };
      const target = this.folders.get(folderKey(called));
      if (!target || target === self) continue;
      const ref = parseEntityRef(target);
      emit(
        processingResult.relation({
          source,
          type: RELATION_DEPENDS_ON,
          target: ref,
        }),
      );
      emit(
        processingResult.relation({
          source: ref,
          type: RELATION_DEPENDENCY_OF,
          target: source,
        }),
      );
    }
    return {
      ...entity,
      spec: { ...(entity.spec ?? {}), terraform },
    } as Entity;
  }
}
