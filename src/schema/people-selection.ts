import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { PeoplePlan } from '../bitrix/scheduler/lookup.js';

/** What an operation will ask of the dialogs a field returns, as far as people go. */
export interface PeopleWanted extends PeoplePlan {
  /** A private dialog's other person: `counterpart`, or `title` (which may need their name). */
  readonly counterpart: boolean;
}

/** The names of the fields selected directly on the field's result, through fragments. */
function selectedNames(
  selectionSet: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  names: Set<string>,
  seen: Set<string>,
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === 'Field') {
      names.add(selection.name.value);
    } else if (selection.kind === 'InlineFragment') {
      selectedNames(selection.selectionSet, fragments, names, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      selectedNames(fragments[selection.name.value]?.selectionSet, fragments, names, seen);
    }
  }
}

/**
 * Looks ahead in the operation: which people of the dialogs this field returns will be asked for,
 * so that they are read in the dialogs' own call (by `$result` reference, or by id when known up
 * front) instead of in a second round after the dialogs arrive. It over-plans rather than
 * under-plans (`@skip`/`@include` are not evaluated): a planned person nobody reads costs a
 * command in a call that leaves anyway, never a call of its own.
 */
export function peopleWanted(info: GraphQLResolveInfo): PeopleWanted {
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const node of info.fieldNodes) selectedNames(node.selectionSet, info.fragments, names, seen);
  return {
    owner: names.has('owner'),
    managers: names.has('managers'),
    counterpart: names.has('counterpart') || names.has('title'),
  };
}
