"""三员分立 (issue 17 §4): the three administrator roles as groups, with the Django admin permissions each needs.

- 系统管理员 (system administrator): accounts (create, edit, deactivate users, set passwords); reads no log.
- 安全保密管理员 (security administrator): who holds which role (groups and permissions of accounts, the admin
  flag) and login lockouts (django-axes); reads no audit log and changes no account's name or password.
- 安全审计员 (auditor): reads the change log (django-auditlog), the log of views of personal data and the
  login log; changes nothing.

What the roles may do beyond these permissions (the audit logs are shown to the auditor role only, whatever
permissions an account holds) is checked in liaison/privacy/admin.py and liaison/people/access.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "系统管理员": [
        ("auth", "user", ["add", "change", "view"]),
        ("auth", "group", ["view"]),
    ],
    "安全保密管理员": [
        ("auth", "user", ["change", "view"]),
        ("auth", "group", ["add", "change", "view"]),
        ("auth", "permission", ["view"]),
        ("axes", "accessattempt", ["view", "delete"]),
    ],
    "安全审计员": [
        ("auditlog", "logentry", ["view"]),
        ("liaison", "personaldataview", ["view"]),
        ("liaison", "personaldatasubject", ["view"]),
        ("axes", "accesslog", ["view"]),
        ("axes", "accessfailurelog", ["view"]),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, model, actions in grants:
            for action in actions:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0014_personal_data_view_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auditlog", "0017_add_actor_email"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
