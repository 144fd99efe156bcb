/**
 * What the tuning and batch inference tasks share: a task lives as its operation does (it reads
 * the operation's stage, so the two agree at every instant, and a Cancel of either cancels both),
 * and each service's Describe and Cancel find a task by its id. An expired operation's task stays
 * describable.
 */
import { type GrpcRoutes, notFound, unaryMethod } from './grpc-method';
import { CREATED_BY, type EmulatedOperation, type Stage, unusedId } from './operations';

/** What every task has: its id, its operation and the folder it was started in. */
export interface Task {
  id: string;
  operation: EmulatedOperation;
  folderId: string;
}

/** The statuses of both services' tasks (their `Status` enums name the same values). */
export type TaskStatus = 'CREATED' | 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';

const FINISHED_STATUS: Readonly<Record<Exclude<Stage['outcome'], 'running'>, TaskStatus>> = {
  succeeded: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELED',
};

/** The status of a task at its operation's stage: `running` while it runs, then how it finished. */
export function taskStatus(stage: Stage, running: TaskStatus): TaskStatus {
  return stage.outcome === 'running' ? running : FINISHED_STATUS[stage.outcome];
}

/** Every task of one kind, by id. */
export class TaskStore<T extends Task> {
  private readonly tasks = new Map<string, T>();

  /** An id no task of this store has. */
  newId(): string {
    return unusedId(this.tasks);
  }

  add(task: T): void {
    this.tasks.set(task.id, task);
  }

  get(id: string): T | undefined {
    return this.tasks.get(id);
  }
}

/**
 * The fields every task message has: ids, folder, status, author, and its times (created and
 * started with its operation, finished when it finished).
 */
export function taskFields(task: Task, stage: Stage, status: TaskStatus): Record<string, unknown> {
  const createdAt = new Date(task.operation.createdAtMs).toISOString();
  return {
    taskId: task.id,
    operationId: task.operation.id,
    folderId: task.folderId,
    status,
    createdBy: CREATED_BY,
    createdAt,
    startedAt: createdAt,
    ...(stage.outcome === 'running' ? {} : { finishedAt: new Date(stage.sinceMs).toISOString() }),
  };
}

/** How one service names its task messages. */
export interface TaskService<T extends Task> {
  /** The service's full name (`yandex.cloud.ai.tuning.v1.TuningService`). */
  service: string;
  /** The noun of its messages: `Tuning` for `DescribeTuningRequest`. */
  noun: string;
  /** The request's (and the Cancel response's) task id field. */
  idField: string;
  /** The Describe response's task field. */
  taskField: string;
  /** The task's message at `nowMs`. */
  json(task: T, nowMs: number): unknown;
}

/**
 * The service's Describe (the task as it is) and Cancel (a running task and its operation are
 * cancelled; a finished one is unchanged), NOT_FOUND for an unknown id.
 */
export function taskMethods<T extends Task>(tasks: TaskStore<T>, { service, noun, idField, taskField, json }: TaskService<T>): GrpcRoutes {
  const messages = service.slice(0, service.lastIndexOf('.'));
  const method = (name: 'Describe' | 'Cancel', answer: (task: T, nowMs: number) => unknown) =>
    unaryMethod(`${messages}.${name}${noun}Request`, `${messages}.${name}${noun}Response`, ({ request, entry }) => {
      const id = String(request[idField] ?? '');
      const task = tasks.get(id);
      if (task === undefined) return notFound(`${noun} task ${id} not found`);
      entry.operationId = task.operation.id;
      return { response: answer(task, Date.now()) };
    });
  return {
    [`/${service}/Describe`]: method('Describe', (task, nowMs) => ({ [taskField]: json(task, nowMs) })),
    [`/${service}/Cancel`]: method('Cancel', (task, nowMs) => {
      task.operation.cancel(nowMs);
      return { [idField]: task.id };
    }),
  };
}
