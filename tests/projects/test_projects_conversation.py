"""Residents comment on and follow projects as they do proposals: threads, official
answers, votes, flags that hide at three, the moderation queue and decisions, the
stored counters, notifications, and a thread read in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Comment, Flag, Follow, Project
from projects.selectors_conversation import comment_thread, moderation_queue
from projects.services import conversation as services
from stakeholders.models import Notification, NotificationKind
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.conversation_factories import make_moderator
from tests.projects.factories import ProposalFactory, api_client
from tests.projects.project_factories import ProjectFactory, project_from

pytestmark = pytest.mark.django_db


def test_thread_on_a_project_with_replies_and_official_answer(
    django_capture_on_commit_callbacks,
) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    project = project_from(coordinator, [ProposalFactory(city=city)])
    resident = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        question = services.comment_create(
            actor=resident, project=project, body="When do the works start?"
        )
        answer = services.comment_create(
            actor=coordinator, project=project, body="In March.", parent=question
        )
    assert question.project_id == project.pk and question.proposal_id is None
    assert answer.is_official and not question.is_official
    project.refresh_from_db()
    assert project.comment_count == 2
    assert Follow.objects.filter(project=project, user=resident).exists()
    thread = comment_thread(user=resident, project=project)
    assert [n.pk for n in thread.nodes] == [question.pk]
    assert [n.pk for n in thread.nodes[0].children] == [answer.pk]
    assert Notification.objects.filter(
        recipient=resident, kind=NotificationKind.REPLY
    ).exists()
    assert Notification.objects.filter(
        recipient=coordinator, kind=NotificationKind.COMMENT
    ).exists()


def test_a_reply_must_stay_on_the_same_project() -> None:
    one, other = ProjectFactory(), ProjectFactory()
    resident = UserFactory()
    comment = services.comment_create(actor=resident, project=one, body="Hello")
    with pytest.raises(Exception, match="same project"):
        services.comment_create(
            actor=UserFactory(), project=other, body="Hi", parent=comment
        )
    proposal = ProposalFactory()
    with pytest.raises(Exception, match="same proposal"):
        services.comment_create(
            actor=UserFactory(), proposal=proposal, body="Hi", parent=comment
        )


def test_three_flags_hide_a_project_comment_until_a_moderator_decides() -> None:
    project = ProjectFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, project=project, body="Spam!")
    for _ in range(3):
        services.flag_create(actor=UserFactory(), reason="spam", comment=comment)
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.hidden_at is not None
    assert project.comment_count == 0
    assert set(Flag.objects.values_list("city_id", flat=True)) == {project.city_id}
    moderator = make_moderator(project.city)
    items = moderation_queue(city=project.city)
    assert [(i.kind, i.pk) for i in items] == [("comment", comment.pk)]
    assert items[0].proposal == project
    services.moderation_decide(
        actor=moderator, action="restore", reason="Not spam.", comment=comment
    )
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.hidden_at is None
    assert project.comment_count == 1


def test_moderation_queue_page_lists_project_comments(client) -> None:
    project = ProjectFactory(title="Harbour heat network")
    comment = services.comment_create(actor=UserFactory(), project=project, body="Rude")
    services.flag_create(actor=UserFactory(), reason="offensive", comment=comment)
    client.force_login(make_moderator(project.city))
    page = client.get("/moderation/").content.decode()
    assert "Harbour heat network" in page
    assert f"/projects/{project.pk}/#comment-{comment.pk}" in page


def test_votes_and_deletion_keep_the_counters() -> None:
    project = ProjectFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, project=project, body="Idea")
    voted = services.comment_vote(actor=UserFactory(), comment=comment, value=1)
    assert voted.score == 1
    services.comment_delete(actor=author, comment=comment)
    project.refresh_from_db()
    assert project.comment_count == 0
    assert not Comment.objects.exists()


def test_follow_counts_once_per_person() -> None:
    project = ProjectFactory()
    resident = UserFactory()
    services.follow_add(user=resident, project=project)
    services.follow_add(user=resident, project=project)
    project.refresh_from_db()
    assert project.follower_count == 1
    services.follow_remove(user=resident, project=project)
    services.follow_remove(user=resident, project=project)
    project.refresh_from_db()
    assert project.follower_count == 0


def test_thread_queries_do_not_grow_with_comments() -> None:
    project = ProjectFactory()
    reader = UserFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            comment_thread(user=reader, project=project)
        return len(ctx.captured_queries)

    services.comment_create(actor=UserFactory(), project=project, body="One")
    services.comment_create(actor=UserFactory(), project=project, body="Two")
    count()  # the reader's roles are read once, then cached on the user
    few = count()
    for n in range(15):
        services.comment_create(actor=UserFactory(), project=project, body=f"n{n}")
    assert count() == few


def test_comments_and_follow_through_the_api() -> None:
    project = ProjectFactory()
    resident = UserFactory()
    client = api_client(resident)
    posted = client.post(
        f"/api/v1/projects/{project.pk}/comments/", {"body": "Nice"}, format="json"
    )
    assert posted.status_code == 201
    assert posted.json()["project"] == project.pk
    assert posted.json()["proposal"] is None
    tree = api_client().get(f"/api/v1/projects/{project.pk}/comments/").json()
    assert tree["count"] == 1
    empty = client.post(
        f"/api/v1/projects/{project.pk}/comments/", {"body": ""}, format="json"
    )
    assert empty.status_code == 400 and "body" in empty.json()
    assert client.delete(f"/api/v1/projects/{project.pk}/follow/").json() == {
        "project": project.pk,
        "following": False,
    }
    assert Project.objects.get().follower_count == 0
    assert api_client().get("/api/v1/projects/999999/comments/").status_code == 404
