//! SAFETY rules: talk of suicide, self-harm, harming others or abuse.
//!
//! Reviewed policy (see RULES.md):
//! - Recall comes first. Every hit goes to a person, who can dismiss a false alarm in
//!   seconds; a missed disclosure cannot be undone.
//! - Negation never silences a hit: "I'm not going to hurt myself" is often said by
//!   someone who has been thinking about it, so it still goes to a person.
//! - `unless` phrases are used only where the trigger words carry a different, fixed
//!   sense: substance "abuse", "hurt her feelings", an apology for past hurt, "shoot
//!   you a text". Each one is listed here for review.
//! - Idioms that fire anyway ("I could kill him for that") are accepted and documented
//!   in the codebook's near misses.

use domain::ProcessCode::Safety;

use super::table::{Rule, Trigger};

/// People who may harm the speaker, for SAFETY.ABUSE.2.
const PEOPLE_WHO_HARM: &[&str] = &[
    "he",
    "she",
    "they",
    "{dad,father,mom,mum,mother,stepdad,stepfather,stepmom,stepmother}",
    "{husband,wife,boyfriend,girlfriend,partner,ex,fiance,fiancee}",
    "{brother,sister,uncle,aunt,grandpa,grandfather,grandma,cousin}",
    "{parents,teacher,coach,neighbour,neighbor,roommate,someone,somebody}",
];

/// Acts of violence done to the speaker, for SAFETY.ABUSE.2.
const DONE_TO_ME: &[&str] = &[
    "{hits,hit,hitting,beats,beat,beating,slaps,slapped,slapping} {me,us}",
    "{punches,punched,kicks,kicked,chokes,choked,choking,strangled} {me,us}",
    "{shoves,shoved,pushed,throws,threw} me {down,into,against}",
    "{burned,burnt} me",
    "{locks,locked} me in",
    "{threatens,threatened} {me,to kill,to hurt}",
];

/// Threatening or intending framings, for SAFETY.HARM_OTHERS.2.
const INTENT: &[&str] = &[
    "{going to,gonna,gotta,want to,wanna,wanted to,i'll,i will,i'd,i could,i swear}",
    "next time i see {him,her,them}",
];

/// Violence toward another person, for SAFETY.HARM_OTHERS.2.
const VIOLENCE_TO_SOMEONE: &[&str] = &[
    "{hurt,beat,punch,hit,slap,choke,jump,stomp,bash} {you,him,her,them,someone,somebody,that guy}",
    "{break,smash} {your,his,her,their}",
    "{beat,kick} the {crap,hell,shit} out of",
    "kick {your,his,her,their} ass",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "SAFETY.SUICIDE.1",
        code: Safety,
        intent: "Suicidal thoughts or a wish to be dead, said outright or passively (better off \
                 without me, not wake up, a burden to everyone).",
        score: 1.0,
        trigger: Trigger::Any(&[
            "suicid*",
            "{kill,killing,killed,shoot,shooting,hang,hanging} myself",
            "kms",
            "unalive*",
            "{end,ending} {my life,it all}",
            "{take,taking,took} my own life",
            "take my life",
            "{want to,wanna,wanted to,ready to,going to,gonna} die",
            "{rather be,better off} dead",
            "wish i {was,were} dead",
            "wish i {wasn't,weren't} {alive,here anymore,around anymore}",
            "wish i'd never been born",
            "better off without me",
            "everyone would be better off",
            "{don't,do not,didn't} want to {live,be alive,exist,be here anymore,wake up}",
            "{no reason,nothing} to live for",
            "{not worth,no point,no point in} living",
            "{and,just} not wake up",
            "never wake up",
            "{a burden to,a burden on,burden to,burden on} everyone",
            "disappear forever",
        ]),
        unless: &[],
    },
    Rule {
        id: "SAFETY.SELF_HARM.1",
        code: Safety,
        intent: "Hurting oneself on purpose: cutting, burning, hitting, starving oneself; and \
                 someone else's self-harm or suicide reported by the speaker.",
        score: 1.0,
        trigger: Trigger::Any(&[
            "{hurt,hurting,harm,harming,cut,cutting,burn,burning} myself",
            "{hit,hitting,starve,starving} myself",
            "{slit,slitting,cut,cutting,slash,slashing} my wrists",
            "{self harm,self-harm,selfharm}*",
            "{started,start,been} cutting",
            "cutting again",
            "{hurts,hurt,hurting,harms,cuts,cut,cutting,burns,burning} {himself,herself,themselves}",
            "{kill,killed,killing} {himself,herself,themselves}",
            "{take,took,taken} {his,her,their} own life",
        ]),
        unless: &[
            // Other senses of cutting: "I've been cutting back on coffee".
            "{started,start,been} cutting {back,down,out,off,corners,class,classes}",
        ],
    },
    Rule {
        id: "SAFETY.PLAN.1",
        code: Safety,
        intent: "A plan or the means for suicide: pills saved, a rope, a gun, a place to jump, \
                 looking up doses, giving belongings away.",
        score: 1.0,
        trigger: Trigger::Any(&[
            "overdos*",
            "{pills,meds} saved",
            "{saved,saving} up {pills,meds}",
            "{saving,stockpiling} {pills,meds}",
            "stockpil*",
            "how many pills",
            "too many pills",
            "{handful,bunch,bottle} of {pills,meds,sleeping pills}",
            "lethal dose",
            "noose",
            "jump off {a,the} {bridge,roof,building}",
            "{stood,standing} on the {bridge,ledge,roof}",
            "on the ledge",
            "in front of a {train,bus,truck}",
            "gun to my head",
            "{bought,buy,get,got} a gun",
            "{giving,give,gave} {away my,my stuff away,my things away}",
            "{goodbye,good-bye} {note,letter,letters}",
        ]),
        unless: &[],
    },
    Rule {
        id: "SAFETY.HARM_OTHERS.1",
        code: Safety,
        intent: "Killing, stabbing, shooting or strangling another person, in any framing: \
                 threat, wish, past act or idiom.",
        score: 1.0,
        trigger: Trigger::Any(&[
            "{kill,killing,murder,murdering} {you,him,her,them,someone,somebody,that guy,my}",
            "{stab,stabbing,shoot,shooting,strangle,strangling} {you,him,her,them,someone,somebody,that guy}",
            "kys",
        ]),
        unless: &[
            // Idiom: "it wouldn't kill you to say thanks".
            "{wouldn't,won't} {kill,killing} {you,him,her,them}",
            // Sending a message: "I'll shoot you a text".
            "{shoot,shooting} {you,him,her,them} {a,an}",
        ],
    },
    Rule {
        id: "SAFETY.HARM_OTHERS.2",
        code: Safety,
        intent: "Intending or threatening to hurt someone physically: an intent framing (going \
                 to, I'll, I swear, want to) followed closely by violence toward a person.",
        score: 1.0,
        trigger: Trigger::Sequence {
            first: INTENT,
            then: VIOLENCE_TO_SOMEONE,
            within: 2,
        },
        unless: &[
            // Apologies for past hurt, not threats.
            "{didn't,never,did not} {mean,meant,want,wanted} to hurt",
            // Emotional hurt and hurt trust.
            "hurt her feelings",
            "{break,smash} {your,his,her,their} {heart,trust,concentration,focus}",
            // Messages and favours: "I'll hit you up", "hit him back".
            "hit {you,him,her,them} {up,back}",
        ],
    },
    Rule {
        id: "SAFETY.ABUSE.1",
        code: Safety,
        intent: "Abuse, sexual violence, domestic violence and child-protection involvement, \
                 named in words.",
        score: 1.0,
        trigger: Trigger::Any(&[
            "{abuse,abused,abusing,abusive,abuser,abusers}",
            "molest*",
            "{rape,raped,raping,rapist}",
            "sexually assault*",
            "{assaulted,assaults} me",
            "{domestic violence,domestic abuse}",
            "touched me {when i,inappropriately,down there}",
            "{inappropriately touched,made me touch}",
            "{child protective,child services,cps}",
            "{restraining,protective} order",
            "{beat,beats,beating,hit,hits,hitting,hurt,hurts,hurting} {the,my,our} {kids,children,baby,son,daughter}",
            "{beat,beats,beating} me up",
            "{not safe,unsafe,don't feel safe,do not feel safe} {at home,going home,in my house,in my home,with him,with her}",
            "{scared,afraid,terrified} to go home",
        ]),
        unless: &[
            // Substance use, a different sense of "abuse".
            "{substance,drug,drugs,alcohol} {abuse,abuser,abusers}",
            "{abuse,abused,abusing} {drugs,alcohol,substances,pills}",
            "abuse of {drugs,alcohol,substances}",
        ],
    },
    Rule {
        id: "SAFETY.ABUSE.2",
        code: Safety,
        intent: "Being hit, beaten, choked, locked in or threatened by someone: a person followed \
                 closely by violence done to the speaker.",
        score: 1.0,
        trigger: Trigger::Sequence {
            first: PEOPLE_WHO_HARM,
            then: DONE_TO_ME,
            within: 3,
        },
        unless: &[
            // Idioms: "you beat me to it", "he hit me up", "it hit me that".
            "beat me to it",
            "hit me up",
            "{kicked,kicks} me {out,off}",
        ],
    },
];
