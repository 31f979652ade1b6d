import { z } from 'zod';
import { cloudToDeviceMethodSchema, updateTwinSchema } from '../core/operationSchemas';
import {
  deviceJobStatisticsSchema,
  deviceResultListResponseSchema,
  deviceResultSchema,
  jobCreateRequestSchema,
  jobListResponseSchema,
  jobResourceSchema,
  methodJobRequestSchema,
  twinJobRequestSchema,
} from '../jobs/schemas';
import { queueMessageSchema } from '../queueContract';
import { problemSchema } from './problem';

export type JsonSchema = Record<string, unknown>;

const componentUri = (id: string): string => `#/components/schemas/${id}`;

/** Request bodies are documented as clients write them (defaults optional). */
const inputSchemas = {
  JobCreateRequest: jobCreateRequestSchema,
  MethodJobRequest: methodJobRequestSchema,
  TwinJobRequest: twinJobRequestSchema,
  CloudToDeviceMethod: cloudToDeviceMethodSchema,
  UpdateTwin: updateTwinSchema,
  WorkMessage: queueMessageSchema,
};

/** Responses are documented as the API writes them. */
const outputSchemas = {
  JobResource: jobResourceSchema,
  JobList: jobListResponseSchema,
  DeviceJobStatistics: deviceJobStatisticsSchema,
  DeviceResult: deviceResultSchema,
  DeviceResultList: deviceResultListResponseSchema,
  Problem: problemSchema,
};

export type ComponentName = keyof typeof inputSchemas | keyof typeof outputSchemas;

/** `components.schemas`, generated from the zod schemas (the one source of truth). */
export function buildComponentSchemas(): Record<ComponentName, JsonSchema> {
  return {
    ...generate(inputSchemas, 'input'),
    ...generate(outputSchemas, 'output'),
  } as Record<ComponentName, JsonSchema>;
}

function generate(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: componentUri });
  return Object.fromEntries(
    Object.entries(generated.schemas).map(([id, schema]) => {
      // Components live inside the document; per-schema $schema/$id would only confuse tools.
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** JSON Schema of one query parameter, from the schema that parses it. */
export function parameterSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
  }) as JsonSchema;
  return rest;
}

export function ref(name: ComponentName): JsonSchema {
  return { $ref: componentUri(name) };
}

/** A reference when the schema is a component, else the schema itself, generated in place. */
export function componentRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const components: Record<string, z.ZodType> = io === 'input' ? inputSchemas : outputSchemas;
  const name = Object.keys(components).find((id) => components[id] === schema);
  if (name !== undefined) return { $ref: componentUri(name) };
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
  }) as JsonSchema;
  return rest;
}
