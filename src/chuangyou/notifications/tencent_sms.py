"""SMS through Tencent Cloud (腾讯云短信), with its own SDK (tencentcloud-sdk-python-sms): SendSms of API
version 2021-01-11, signed TC3-HMAC-SHA256 by the SDK. Registered as the "tencent" SMS provider when the
app starts (apps.py).

The school's settings (channels.py): SdkAppId, the approved 签名 and template id, the SecretId/SecretKey
pair. The message key goes along as SessionContext, so the provider's own records can be matched to
ours. Error codes that retrying cannot fix (a wrong key, an unapproved template, a bad number) fail at
once; the rest (limits, timeouts, the provider's internal errors) are retried by the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from chuangyou.notifications.backends import DeliveryFailed

DEFAULT_REGION = "ap-guangzhou"
TIMEOUT_SECONDS = 10
# Prefixes of error codes (the API's and SendStatus.Code) that no retry can fix.
PERMANENT = (
    "AuthFailure",
    "InvalidParameter",
    "InvalidParameterValue",
    "MissingParameter",
    "UnauthorizedOperation",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.MissingSignature",
    "FailedOperation.MissingTemplate",
    "FailedOperation.PhoneNumberInBlacklist",
    "UnsupportedOperation",
)


def _permanent(code: str) -> bool:
    return code.startswith(PERMANENT)


class TencentSms:
    def __init__(self, config: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
        self.config = config
        self.secrets = secrets

    def _client(self) -> sms_client.SmsClient:
        http = HttpProfile(reqTimeout=TIMEOUT_SECONDS)
        # TENCENT_SMS_ENDPOINT: the tests' local server (http://127.0.0.1:PORT); empty is the SDK's own.
        if settings.TENCENT_SMS_ENDPOINT:
            where = urlsplit(settings.TENCENT_SMS_ENDPOINT)
            http = HttpProfile(
                protocol=where.scheme or "https", endpoint=where.netloc, reqTimeout=TIMEOUT_SECONDS
            )
        cred = credential.Credential(
            self.secrets.get("access_key_id", ""), self.secrets.get("access_key_secret", "")
        )
        region = str(self.config.get("region") or DEFAULT_REGION)
        return sms_client.SmsClient(cred, region, ClientProfile(httpProfile=http))

    def send_sms(self, *, phone: str, sign_name: str, template_id: str, params: list[str], key: str) -> None:
        request = models.SendSmsRequest()
        request.SmsSdkAppId = str(self.config.get("sdk_app_id", ""))
        request.SignName = sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = params
        request.PhoneNumberSet = [f"+86{phone}"]
        request.SessionContext = key
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "")
            raise DeliveryFailed(f"{code}: {exc.get_message()}", permanent=_permanent(code)) from exc
        statuses = response.SendStatusSet or []
        if not statuses:
            raise DeliveryFailed("Tencent Cloud answered without a SendStatusSet")
        status = statuses[0]
        if status.Code != "Ok":
            raise DeliveryFailed(f"{status.Code}: {status.Message}", permanent=_permanent(str(status.Code)))
