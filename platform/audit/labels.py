"""The Chinese name of every audit action code: the UI shows these, never the code itself.

tests/audit/test_labels.py checks that every code written anywhere in the code base has a row here.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    # Sign-in and accounts (access; written by the sign-in flows)
    "auth.login": gettext_lazy("登录成功"),
    "auth.login_failed": gettext_lazy("登录失败"),
    "auth.locked": gettext_lazy("账号因多次失败被锁定"),
    "auth.unlock": gettext_lazy("解除账号锁定"),
    "auth.logout": gettext_lazy("退出登录"),
    "auth.password_set": gettext_lazy("设置密码"),
    "auth.password_reset": gettext_lazy("重置密码"),
    "auth.password_change": gettext_lazy("修改密码"),
    "auth.otp_enrol": gettext_lazy("绑定双重验证"),
    "auth.otp_disable": gettext_lazy("解除双重验证"),
    "auth.second_factor": gettext_lazy("通过双重验证"),
    "auth.timeout": gettext_lazy("闲置或超时自动退出"),
    "membership.grant": gettext_lazy("授予角色"),
    "signin_rule.update": gettext_lazy("修改登录规则"),
    "membership.revoke": gettext_lazy("撤销角色"),
    "token.create": gettext_lazy("创建接口令牌"),
    "token.revoke": gettext_lazy("吊销接口令牌"),
    # The audit itself
    "audit.export": gettext_lazy("导出操作记录"),
    "audit.archive": gettext_lazy("归档过期操作记录"),
    # The platform
    "county.provision": gettext_lazy("开通县级平台"),
    "county.backup": gettext_lazy("备份县级数据"),
    "county.restore": gettext_lazy("恢复县级数据"),
    "county.move": gettext_lazy("迁移县级数据所在的数据库节点"),
    # Organisation
    "township.save": gettext_lazy("保存乡镇"),
    "village.save": gettext_lazy("保存村（社区）"),
    "venue.save": gettext_lazy("保存站点"),
    "venue.photo_add": gettext_lazy("上传站点照片"),
    "handling_unit.save": gettext_lazy("保存承办单位"),
    "standard.save": gettext_lazy("保存建设标准"),
    "assessment.record": gettext_lazy("登记站点评估"),
    "funding.set": gettext_lazy("设置经费"),
    "redivision.merge": gettext_lazy("区划调整：合并"),
    "redivision.rename": gettext_lazy("区划调整：更名"),
    "redivision.split": gettext_lazy("区划调整：拆分"),
    "village.merge": gettext_lazy("村（社区）区划调整：合并"),
    "village.split": gettext_lazy("村（社区）区划调整：拆分"),
    "village.rename": gettext_lazy("村（社区）区划调整：更名"),
    "redivision.schedule": gettext_lazy("登记待生效的区划调整"),
    "redivision.schedule_cancel": gettext_lazy("撤销待生效的区划调整"),
    "redivision.schedule_failed": gettext_lazy("待生效的区划调整未能生效"),
    # People
    "deputy.create": gettext_lazy("新增代表"),
    "deputy.update": gettext_lazy("修改代表信息"),
    "deputy.view_full": gettext_lazy("查看代表完整信息（含身份证号码）"),
    "deputy.export": gettext_lazy("导出代表名单（含个人信息）"),
    "mandate.add": gettext_lazy("登记代表任期"),
    "stationing.add": gettext_lazy("代表进站"),
    "stationing.end": gettext_lazy("代表离站"),
    "group.member_set": gettext_lazy("设置代表小组成员"),
    "pairing.create": gettext_lazy("建立联系"),
    "pairing.end": gettext_lazy("结束联系"),
    "pairing.auto": gettext_lazy("自动建立联系"),
    "pairing.rule_update": gettext_lazy("修改联系规则"),
    "roster.import": gettext_lazy("导入代表名册"),
    "roster.export": gettext_lazy("导出代表名册（含个人信息）"),
    "organisation.import": gettext_lazy("导入组织架构"),
    "organisation.export": gettext_lazy("导出组织架构"),
    "import_job.start": gettext_lazy("提交后台导入"),
    # Duties
    "duty_record.log": gettext_lazy("登记履职"),
    "duty_record.update": gettext_lazy("修改履职记录"),
    "duty_record.photo_add": gettext_lazy("上传履职照片"),
    "duty_record.pending": gettext_lazy("履职记录待代表确认"),
    "duty_record.confirmed": gettext_lazy("代表确认履职记录"),
    "duty_record.disputed": gettext_lazy("代表对履职记录有异议"),
    "duty_rule.update": gettext_lazy("修改履职规则"),
    "training.create": gettext_lazy("新增培训"),
    "training.attendance": gettext_lazy("登记培训出勤"),
    # Reception
    "reception.schedule_update": gettext_lazy("修改接待安排"),
    "reception.publish": gettext_lazy("发布接待日历"),
    "reception.replan": gettext_lazy("节假日调整后顺延接待日"),
    "reception.rota_set": gettext_lazy("设置接待轮值"),
    "reception.move": gettext_lazy("调整接待日"),
    "reception.cancel": gettext_lazy("取消接待日"),
    "reception.excuse": gettext_lazy("代表请假"),
    "reception.sign_in": gettext_lazy("接待签到"),
    "reception.sign_out": gettext_lazy("接待签退"),
    "reception.sign_in_code_rotate": gettext_lazy("更换签到码"),
    "reception.attendance_mark": gettext_lazy("登记接待出勤"),
    "reception.record": gettext_lazy("登记接待记录"),
    "reception.absence_rule": gettext_lazy("修改缺勤提醒规则"),
    "reception.absence_step": gettext_lazy("缺勤提醒升级"),
    "reception.notice_job": gettext_lazy("发送出勤通报"),
    # Casework
    "opinion.receive": gettext_lazy("登记社情民意"),
    "opinion.submit_online": gettext_lazy("选民网上提交意见"),
    "kiosk.register": gettext_lazy("登记站点自助终端"),
    "opinion.attach": gettext_lazy("上传意见附件"),
    "constituent.view": gettext_lazy("查看反映人姓名、手机"),
    "constituent.export": gettext_lazy("导出反映人姓名、手机"),
    "constituent.pseudonymise": gettext_lazy("反映人信息到期匿名化"),
    "category.save": gettext_lazy("保存意见类别"),
    "routing_rule.save": gettext_lazy("保存分办规则"),
    "casework_rule.update": gettext_lazy("修改办理期限规则"),
    "case.route": gettext_lazy("分办案件"),
    "case.answer": gettext_lazy("答复案件"),
    "case.close": gettext_lazy("办结案件"),
    "case.merge": gettext_lazy("合并案件"),
    "case.rate": gettext_lazy("选民评价"),
    "case.publish": gettext_lazy("设置答复公开"),
    "duty_record.publish": gettext_lazy("设置活动在联络站公开"),
    "case.escalation_progress": gettext_lazy("上级交办进展"),
    "case.escalation_answered": gettext_lazy("上级答复"),
    "case.escalation_returned": gettext_lazy("上级退回上报事项"),
    # The upper tiers' items (platform audit: tenants.services / orchestration.escalations)
    "escalation.open": gettext_lazy("上报事项"),
    "escalation.withdraw": gettext_lazy("县级办结撤回上报事项"),
    "escalation.reopen": gettext_lazy("选民不满意，上报事项重新办理"),
    "escalation.accept": gettext_lazy("受理上报事项"),
    "escalation.progress": gettext_lazy("反馈上报事项办理进展"),
    "escalation.forward": gettext_lazy("转送上报事项"),
    "escalation.return": gettext_lazy("退回上报事项至县级"),
    "escalation.assign": gettext_lazy("交办上报事项"),
    "escalation.draft": gettext_lazy("起草上报事项答复"),
    "escalation.approve": gettext_lazy("审核发送上报事项答复"),
    "escalation.reject": gettext_lazy("退回上报事项答复草稿"),
    "escalation.answer": gettext_lazy("答复上报事项"),
    "suggestion.submit": gettext_lazy("提出代表建议"),
    "suggestion.register": gettext_lazy("建议立案"),
    "suggestion.refuse": gettext_lazy("建议不予立案"),
    "suggestion.assign": gettext_lazy("交办建议"),
    "suggestion.return": gettext_lazy("退回建议"),
    "suggestion.answer": gettext_lazy("答复建议"),
    "suggestion.rate": gettext_lazy("代表评价答复"),
    "suggestion.close": gettext_lazy("建议办结"),
    "suggestion.supervise": gettext_lazy("督办建议"),
    "suggestion.extension_request": gettext_lazy("申请延期"),
    "suggestion.extension_decide": gettext_lazy("审批延期"),
}

UNKNOWN = gettext_lazy("其他操作")


def action_label(code: str) -> str:
    """The code's Chinese name; a code without one reads 其他操作 (the label test keeps that from happening)."""
    return str(ACTION_LABELS.get(code, UNKNOWN))


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[0])


def target_label(target_type: str) -> str:
    """The model's Chinese name (its verbose_name) for "app_label.model"; 其他 when it is gone."""
    if not target_type:
        return ""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return _("其他")
