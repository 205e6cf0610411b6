"""The domains of the bot, imported once: each registers its content check and privacy provider.

Like datasette's list of default plugins: the centre (``bot.content.checks``,
``bot.privacy.registry``) never imports a domain; a domain registers itself when imported, and
this module imports them all, then tells both registries the list is complete. The CLI, ``serve``,
the benchmarks and the tests import it. A new domain that stores personal data or owns a content
file adds its module here.
"""

from __future__ import annotations

from bot.attention import personal_data as _attention_personal_data
from bot.campaigns import personal_data as _campaigns_personal_data
from bot.campaigns import subscriptions as _subscriptions
from bot.content import checks
from bot.conversation import offered as _offered
from bot.conversation import safety as _safety
from bot.inforequests import content_checks as _inforequests_content
from bot.inforequests import pending as _inforequests_pending
from bot.inforequests import store as _inforequests_store
from bot.privacy import consent as _consent
from bot.privacy import notice as _notice
from bot.privacy import registry
from bot.procurement import content as _procurement_content
from bot.procurement import personal_data as _procurement_personal_data
from bot.proposals import followers as _proposal_followers
from bot.proposals import personal_data as _proposals_personal_data
from bot.rasa import personal_data as _rasa_personal_data
from bot.violence import directory as _directory

REGISTERED = (_safety, _directory, _notice, _procurement_content, _subscriptions,
              _proposals_personal_data, _campaigns_personal_data, _rasa_personal_data,
              _attention_personal_data, _offered, _consent, _inforequests_content,
              _inforequests_store, _inforequests_pending, _procurement_personal_data,
              _proposal_followers)

checks.ready()
registry.ready()
