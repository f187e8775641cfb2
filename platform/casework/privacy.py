"""The privacy notice (个人信息保护告知) constituents accept on the online form and its API (PIPL art. 14,
17): what is collected, why, for how long. A new wording gets a new version; each opinion keeps the version
its constituent accepted and when."""

from django.utils.translation import gettext_lazy as _

NOTICE_VERSION = "2026-1"

NOTICE_TITLE = _("个人信息保护告知")
NOTICE_PARAGRAPHS = [
    _("您提交的意见将由本县人大常委会及相关代表、乡镇人大、代表联络站和承办单位用于办理和答复。"),
    _("您填写的姓名、手机号码仅用于核实情况、告知办理进展和回访评价，不会向无关人员公开；"
      "承办单位看到的手机号码经过遮挡。"),
    _("案件办结后，您的姓名和手机号码将在本县规定的期限届满后删除（匿名化），意见内容和统计数字予以保留。"),
    _("您可以拨打所在联络站电话查询、更正您的个人信息，或撤回同意；撤回同意不影响此前已进行的办理。"),
]
CONSENT_LABEL = _("我已阅读并同意《个人信息保护告知》")
CONSENT_REQUIRED = _("请阅读并同意个人信息保护告知后再提交。")

PSEUDONYM = "已匿名化"
