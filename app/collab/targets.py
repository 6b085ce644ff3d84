"""The registry of commentable, followable, attachable objects.

A domain registers its object type once:

    targets.register(
        "draft", model=Draft, load=lambda id: db.session.get(Draft, id),
        title=lambda d: d.title, url=lambda d: url_for("drafts.show", draft_id=d.id), label=_l("Draft"),
    )

and from then on comments, attachments, follows, notifications and activity address it as
(`target_type`, `target_id`). The loaded object must have `.programme` (or be a Programme):
every permission check goes through `app.permissions.can()` on it.

Two optional hooks let a domain take part in its objects' discussions without the comment code
knowing the domain:
- `on_comment(obj, comment, author)`: called when a comment (or reply) is posted on the object,
  after it is flushed and before the comment service's one commit, so whatever the domain writes
  (e.g. a draft's public-input register) is in the same transaction as the comment.
- `thread_addon(target, roots, viewer) -> ThreadAddon | None`: extra per-thread data and the
  template that shows it in each thread's footer (e.g. "addressed in version 2"), loaded once
  for all threads of a discussion so the query count stays constant.
"""
from dataclasses import dataclass
from typing import Any, Callable

from flask import abort

from app.permissions import can, programme_of


@dataclass(frozen=True)
class TargetType:
    name: str
    model: type
    load: Callable[[int], Any]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    label: Any  # a lazy string, e.g. _l("Draft")
    view_action: str = "programme.view"
    on_comment: Callable | None = None
    thread_addon: Callable | None = None


@dataclass
class ThreadAddon:
    """What a domain shows in the footer of each thread: `template` gets `addon` and `thread`."""

    template: str
    data: dict  # anything the template needs, e.g. {"by_root": {root id: …}, "choices": […]}


@dataclass(frozen=True)
class Target:
    """A resolved target: the object, its programme, and how to show and link it."""

    kind: TargetType
    id: int
    obj: Any

    @property
    def type(self) -> str:
        return self.kind.name

    @property
    def programme(self):
        return programme_of(self.obj)

    @property
    def title(self) -> str:
        return self.kind.title(self.obj)

    @property
    def url(self) -> str:
        return self.kind.url(self.obj)

    @property
    def key(self) -> str:
        """A stable string key, used for live-update versions and DOM ids."""
        return f"{self.kind.name}-{self.id}"


_TYPES: dict[str, TargetType] = {}


def register(name: str, *, model: type, load, title, url, label, view_action: str = "programme.view",
             on_comment=None, thread_addon=None) -> TargetType:
    kind = TargetType(name, model, load, title, url, label, view_action, on_comment, thread_addon)
    _TYPES[name] = kind
    return kind


def kinds() -> dict[str, TargetType]:
    return dict(_TYPES)


def kind_of(obj) -> TargetType:
    for kind in _TYPES.values():
        if type(obj) is kind.model:
            return kind
    raise LookupError(f"{type(obj).__name__} is not a registered target type")


def target_of(obj) -> Target:
    """The Target for an object already loaded (e.g. the programme a page shows)."""
    if isinstance(obj, Target):
        return obj
    return Target(kind_of(obj), obj.id, obj)


def resolve(target_type: str, target_id: int) -> Target | None:
    kind = _TYPES.get(target_type)
    if kind is None:
        return None
    obj = kind.load(target_id)
    if obj is None:
        return None
    return Target(kind, target_id, obj)


def get_target_for(user, target_type: str, target_id: int, action: str | None = None) -> Target:
    """Resolve and check access: 404 for an unknown target or one the user may not see, 403 if they may
    see it but not take `action`."""
    target = resolve(target_type, target_id)
    if target is None or not can(user, target.kind.view_action, target.obj):
        abort(404)
    if action is not None and not can(user, action, target.obj):
        abort(403)
    return target
