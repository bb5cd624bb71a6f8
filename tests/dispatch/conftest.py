from tests.feedback import conftest as feedback_fixtures

unit, category, community = feedback_fixtures.unit, feedback_fixtures.category, feedback_fixtures.community
moderator_group, make_moderator = feedback_fixtures.moderator_group, feedback_fixtures.make_moderator
