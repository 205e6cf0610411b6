"""Names people read for the codes stored in the database (roles, audit actions)."""

from __future__ import annotations

from bot.i18n import _


def role_label(role: str) -> str:
    return {
        "reviewer": _("Revisión"),
        "editor": _("Edición"),
        "admin": _("Administración"),
    }.get(role, role)


def action_label(action: str) -> str:
    return {
        "login": _("Inició sesión"),
        "logout": _("Cerró sesión"),
        "status": _("Cambió el estado"),
        "duplicate": _("Marcó como duplicada"),
        "group": _("Agrupó"),
        "ungroup": _("Quitó del grupo"),
        "note": _("Agregó una nota"),
        "export": _("Exportó propuestas (anonimizadas)"),
        "export_contact": _("Exportó propuestas con datos de contacto"),
        "commitment_create": _("Creó un compromiso"),
        "commitment_update": _("Actualizó un compromiso"),
        "commitment_link": _("Vinculó una propuesta a un compromiso"),
        "commitment_unlink": _("Desvinculó una propuesta de un compromiso"),
        "account_create": _("Creó una cuenta"),
        "account_disable": _("Desactivó una cuenta"),
        "account_enable": _("Reactivó una cuenta"),
        "campaign_create": _("Creó una campaña"),
        "campaign_send": _("Envió una campaña"),
        "campaign_schedule": _("Programó una campaña"),
        "campaign_cancel": _("Canceló una campaña"),
        "attention_reply": _("Contestó a una persona (atención)"),
        "attention_close": _("Cerró una conversación de atención"),
    }.get(action, action)
