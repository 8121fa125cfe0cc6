"""Demo content: translations of two demo petitions, written by the project (not by the organisation)
to show petitions in several languages, right to left included. Each says it is demo content."""

from datetime import datetime

from campaign.extensions import db
from campaign.models import Petition, PetitionTranslation
from campaign.petitions.markup import render_markdown

DEMO_NOTE = {
    "en": "*Demo content: this translation was written by the project to show the platform.*",
    "ar": "*محتوى تجريبي: كتب المشروع هذه الترجمة لعرض المنصة.*",
    "uk": "*Демонстраційний вміст: цей переклад підготували розробники проєкту, щоб показати платформу.*",
}

# slug -> language -> (title, summary, body)
DEMO_TRANSLATIONS = {
    "stop-gezichtsherkenning": {
        "en": (
            "Stop mass surveillance with facial recognition",
            "Ban the government's use of facial recognition in public spaces.",
            "Cameras with facial recognition turn everyone on the street into a suspect.\n\n"
            "We ask the minister and the House of Representatives for:\n\n"
            "- a **ban** on facial recognition in public spaces;\n"
            "- independent oversight of the government's algorithms.",
        ),
        "ar": (
            "أوقفوا المراقبة الجماعية بتقنية التعرف على الوجوه",
            "احظروا استخدام الحكومة لتقنية التعرف على الوجوه في الأماكن العامة.",
            "الكاميرات المزودة بتقنية التعرف على الوجوه تجعل كل شخص في الشارع مشتبهًا به.\n\n"
            "نطالب الوزير ومجلس النواب بما يلي:\n\n"
            "- **حظر** تقنية التعرف على الوجوه في الأماكن العامة؛\n"
            "- رقابة مستقلة على الخوارزميات التي تستخدمها الحكومة.",
        ),
        "uk": (
            "Зупиніть масове стеження за допомогою розпізнавання облич",
            "Заборонити державі використовувати розпізнавання облич у громадських місцях.",
            "Камери з розпізнаванням облич роблять кожного на вулиці підозрюваним.\n\n"
            "Ми просимо міністра та Палату представників:\n\n"
            "- **заборонити** розпізнавання облич у громадських місцях;\n"
            "- запровадити незалежний нагляд за державними алгоритмами.",
        ),
    },
    "eerlijke-asielprocedure": {
        "en": (
            "A fair asylum procedure for everyone",
            "No deportations to unsafe countries, and humane reception.",
            "People fleeing war and persecution deserve protection.\n\n"
            "We ask the government not to deport anyone to a country where they face persecution.",
        ),
        "ar": (
            "إجراءات لجوء عادلة للجميع",
            "لا ترحيل إلى بلدان غير آمنة، واستقبال يحفظ الكرامة الإنسانية.",
            "الأشخاص الفارّون من الحرب والاضطهاد يستحقون الحماية.\n\n"
            "نطالب الحكومة بعدم ترحيل أي شخص إلى بلد يتعرض فيه للاضطهاد.",
        ),
        "uk": (
            "Справедлива процедура надання притулку для всіх",
            "Жодних депортацій до небезпечних країн і гідні умови прийому.",
            "Люди, які тікають від війни та переслідувань, заслуговують на захист.\n\n"
            "Ми просимо уряд нікого не висилати до країни, де йому загрожує переслідування.",
        ),
    },
}


def seed_demo_translations(now: datetime) -> int:
    """Add the missing demo translations, published. Idempotent; returns how many were added."""
    added = 0
    for slug, texts in DEMO_TRANSLATIONS.items():
        petition = db.session.execute(db.select(Petition).where(Petition.slug == slug)).scalar_one_or_none()
        if petition is None:
            continue
        have = {t.language for t in petition.translations}
        for language, (title, summary, body) in texts.items():
            if language in have or language == petition.language:
                continue
            body = f"{body}\n\n{DEMO_NOTE[language]}"
            petition.translations.append(
                PetitionTranslation(
                    language=language,
                    title=title,
                    summary=summary,
                    body=body,
                    body_html=render_markdown(body),
                    share_text="",
                    published_at=now,
                )
            )
            added += 1
    db.session.flush()
    return added
