from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("welcome/", views.status, name="status"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("staff/invitations/", views.invitation_list, name="invitations"),
    path("staff/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("staff/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("staff/approvals/", views.approval_queue, name="approvals"),
    path("staff/approvals/<int:pk>/<str:decision>/", views.approval_decide, name="approval_decide"),
    path("staff/members/", views.member_list, name="members"),
    path("staff/members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/", views.profile, name="profile"),
    path("members/<int:pk>/block/", views.block, name="block"),
    path("members/<int:pk>/unblock/", views.unblock, name="unblock"),
    path("me/", views.me, name="me"),
    path("me/export/", views.me_export, name="export"),
    path("me/export/<int:pk>/<str:fmt>/", views.export_file, name="export_file"),
    path("me/delete/", views.me_delete, name="delete"),
    path("staff/members/<int:pk>/age/", views.member_year_of_birth, name="member_year_of_birth"),
]
