/** The four auth mails Appwrite 1.3 sends and its certificate-failure mail (its locale keys `emails.<name>`). */
export enum MailTemplate {
  Certificate = 'certificate',
  Invitation = 'invitation',
  MagicSession = 'magicSession',
  Recovery = 'recovery',
  Verification = 'verification',
}

/** Texts of one mail. Placeholders: {project} {user} {team} {inviter}; the certificate mail: {domain} {attempt} {error}. */
export interface MailTemplateText {
  subject: string;
  intro: string;
  action: string;
  outro: string;
}

/** Texts of one locale. */
export interface MailLocaleText {
  /** `{user}` is dropped together with the space before it when the name is empty. */
  greeting: string;
  linkHint: string;
  signature: string;
  /** Stands in for the inviter's name when an invitation was sent with an API key. */
  someone: string;
  templates: Record<MailTemplate, MailTemplateText>;
}

export const DEFAULT_MAIL_LOCALE = 'en';

// Written for Appconda; short and plain on purpose.
export const MAIL_TRANSLATIONS: Readonly<Record<string, MailLocaleText>> = {
  en: {
    greeting: 'Hello {user},',
    linkHint: 'If the button does not work, copy this link into your browser:',
    signature: 'The {project} team',
    someone: 'Someone',
    templates: {
      certificate: {
        subject: '{project}: certificate failure for {domain}',
        intro: 'The TLS certificate for {domain} could not be issued. This was attempt {attempt}, and it failed with: {error}',
        action: 'Open {domain}',
        outro: 'Check that the domain points at this server (its CNAME record) and that it is reachable over HTTP on port 80.',
      },
      verification: {
        subject: 'Confirm your email address for {project}',
        intro: 'Please confirm that this email address belongs to you by following the link below.',
        action: 'Confirm email',
        outro: 'If you did not create an account with {project}, you can ignore this message.',
      },
      recovery: {
        subject: 'Reset your {project} password',
        intro: 'We received a request to reset the password of your {project} account. Use the link below to choose a new one.',
        action: 'Reset password',
        outro: 'If you did not ask for a new password, ignore this message and your password stays the same.',
      },
      magicSession: {
        subject: 'Your sign-in link for {project}',
        intro: 'Use the link below to sign in to {project}. No password needed.',
        action: 'Sign in',
        outro: 'If you did not try to sign in, you can safely ignore this message.',
      },
      invitation: {
        subject: 'You are invited to join {team} on {project}',
        intro: '{inviter} invited you to become a member of the team {team} on {project}.',
        action: 'Accept invitation',
        outro: 'If you were not expecting this invitation, you can ignore this message.',
      },
    },
  },
  de: {
    greeting: 'Hallo {user},',
    linkHint: 'Falls der Button nicht funktioniert, kopiere diesen Link in deinen Browser:',
    signature: 'Dein {project}-Team',
    someone: 'Jemand',
    templates: {
      certificate: {
        subject: '{project}: Zertifikatsfehler für {domain}',
        intro: 'Das TLS-Zertifikat für {domain} konnte nicht ausgestellt werden. Das war Versuch {attempt}, der Fehler lautet: {error}',
        action: '{domain} öffnen',
        outro: 'Prüfe, ob die Domain auf diesen Server zeigt (ihr CNAME-Eintrag) und per HTTP auf Port 80 erreichbar ist.',
      },
      verification: {
        subject: 'Bestätige deine E-Mail-Adresse für {project}',
        intro: 'Bitte bestätige über den folgenden Link, dass diese E-Mail-Adresse dir gehört.',
        action: 'E-Mail bestätigen',
        outro: 'Wenn du kein Konto bei {project} angelegt hast, kannst du diese Nachricht ignorieren.',
      },
      recovery: {
        subject: 'Setze dein Passwort für {project} zurück',
        intro: 'Wir haben eine Anfrage erhalten, das Passwort deines {project}-Kontos zurückzusetzen. Über den folgenden Link kannst du ein neues wählen.',
        action: 'Passwort zurücksetzen',
        outro: 'Wenn du kein neues Passwort angefordert hast, ignoriere diese Nachricht. Dein Passwort bleibt unverändert.',
      },
      magicSession: {
        subject: 'Dein Anmeldelink für {project}',
        intro: 'Mit dem folgenden Link meldest du dich bei {project} an, ganz ohne Passwort.',
        action: 'Anmelden',
        outro: 'Wenn du dich nicht anmelden wolltest, kannst du diese Nachricht ignorieren.',
      },
      invitation: {
        subject: 'Einladung zum Team {team} bei {project}',
        intro: '{inviter} hat dich eingeladen, Mitglied des Teams {team} bei {project} zu werden.',
        action: 'Einladung annehmen',
        outro: 'Wenn du diese Einladung nicht erwartet hast, kannst du diese Nachricht ignorieren.',
      },
    },
  },
  fr: {
    greeting: 'Bonjour {user},',
    linkHint: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :',
    signature: "L'équipe {project}",
    someone: "Quelqu'un",
    templates: {
      certificate: {
        subject: '{project} : échec du certificat pour {domain}',
        intro: "Le certificat TLS de {domain} n'a pas pu être émis. C'était la tentative {attempt}, qui a échoué avec : {error}",
        action: 'Ouvrir {domain}',
        outro: "Vérifiez que le domaine pointe vers ce serveur (son enregistrement CNAME) et qu'il est joignable en HTTP sur le port 80.",
      },
      verification: {
        subject: 'Confirmez votre adresse e-mail pour {project}',
        intro: 'Merci de confirmer que cette adresse e-mail vous appartient en suivant le lien ci-dessous.',
        action: "Confirmer l'adresse",
        outro: "Si vous n'avez pas créé de compte sur {project}, ignorez simplement ce message.",
      },
      recovery: {
        subject: 'Réinitialisez votre mot de passe {project}',
        intro: 'Nous avons reçu une demande de réinitialisation du mot de passe de votre compte {project}. Le lien ci-dessous vous permet d’en choisir un nouveau.',
        action: 'Réinitialiser le mot de passe',
        outro: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
      },
      magicSession: {
        subject: 'Votre lien de connexion à {project}',
        intro: 'Utilisez le lien ci-dessous pour vous connecter à {project}, sans mot de passe.',
        action: 'Se connecter',
        outro: "Si vous n'avez pas essayé de vous connecter, ignorez ce message.",
      },
      invitation: {
        subject: 'Invitation à rejoindre {team} sur {project}',
        intro: "{inviter} vous invite à rejoindre l'équipe {team} sur {project}.",
        action: "Accepter l'invitation",
        outro: "Si vous n'attendiez pas cette invitation, ignorez ce message.",
      },
    },
  },
  es: {
    greeting: 'Hola {user}:',
    linkHint: 'Si el botón no funciona, copia este enlace en tu navegador:',
    signature: 'El equipo de {project}',
    someone: 'Alguien',
    templates: {
      certificate: {
        subject: '{project}: fallo del certificado de {domain}',
        intro: 'No se pudo emitir el certificado TLS de {domain}. Fue el intento {attempt} y falló con: {error}',
        action: 'Abrir {domain}',
        outro: 'Comprueba que el dominio apunta a este servidor (su registro CNAME) y que es accesible por HTTP en el puerto 80.',
      },
      verification: {
        subject: 'Confirma tu correo electrónico para {project}',
        intro: 'Confirma que esta dirección de correo es tuya abriendo el siguiente enlace.',
        action: 'Confirmar correo',
        outro: 'Si no creaste una cuenta en {project}, puedes ignorar este mensaje.',
      },
      recovery: {
        subject: 'Restablece tu contraseña de {project}',
        intro: 'Recibimos una solicitud para restablecer la contraseña de tu cuenta de {project}. Usa el siguiente enlace para elegir una nueva.',
        action: 'Restablecer contraseña',
        outro: 'Si no pediste una contraseña nueva, ignora este mensaje y tu contraseña seguirá igual.',
      },
      magicSession: {
        subject: 'Tu enlace de acceso a {project}',
        intro: 'Usa el siguiente enlace para iniciar sesión en {project}, sin contraseña.',
        action: 'Iniciar sesión',
        outro: 'Si no intentaste iniciar sesión, puedes ignorar este mensaje.',
      },
      invitation: {
        subject: 'Te invitan a unirte a {team} en {project}',
        intro: '{inviter} te ha invitado a formar parte del equipo {team} en {project}.',
        action: 'Aceptar invitación',
        outro: 'Si no esperabas esta invitación, puedes ignorar este mensaje.',
      },
    },
  },
  'pt-br': {
    greeting: 'Olá {user},',
    linkHint: 'Se o botão não funcionar, copie este link no seu navegador:',
    signature: 'Equipe {project}',
    someone: 'Alguém',
    templates: {
      certificate: {
        subject: '{project}: falha no certificado de {domain}',
        intro: 'Não foi possível emitir o certificado TLS de {domain}. Esta foi a tentativa {attempt}, que falhou com: {error}',
        action: 'Abrir {domain}',
        outro: 'Verifique se o domínio aponta para este servidor (o registro CNAME) e se está acessível por HTTP na porta 80.',
      },
      verification: {
        subject: 'Confirme seu e-mail no {project}',
        intro: 'Confirme que este endereço de e-mail é seu abrindo o link abaixo.',
        action: 'Confirmar e-mail',
        outro: 'Se você não criou uma conta no {project}, pode ignorar esta mensagem.',
      },
      recovery: {
        subject: 'Redefina sua senha do {project}',
        intro: 'Recebemos um pedido para redefinir a senha da sua conta no {project}. Use o link abaixo para escolher uma nova.',
        action: 'Redefinir senha',
        outro: 'Se você não pediu uma nova senha, ignore esta mensagem e sua senha continuará a mesma.',
      },
      magicSession: {
        subject: 'Seu link de acesso ao {project}',
        intro: 'Use o link abaixo para entrar no {project}, sem precisar de senha.',
        action: 'Entrar',
        outro: 'Se você não tentou entrar, pode ignorar esta mensagem.',
      },
      invitation: {
        subject: 'Convite para participar de {team} no {project}',
        intro: '{inviter} convidou você para fazer parte da equipe {team} no {project}.',
        action: 'Aceitar convite',
        outro: 'Se você não esperava este convite, pode ignorar esta mensagem.',
      },
    },
  },
  it: {
    greeting: 'Ciao {user},',
    linkHint: 'Se il pulsante non funziona, copia questo link nel browser:',
    signature: 'Il team di {project}',
    someone: 'Qualcuno',
    templates: {
      certificate: {
        subject: '{project}: errore del certificato per {domain}',
        intro: 'Non è stato possibile emettere il certificato TLS per {domain}. Era il tentativo {attempt}, fallito con: {error}',
        action: 'Apri {domain}',
        outro: 'Verifica che il dominio punti a questo server (il suo record CNAME) e che sia raggiungibile via HTTP sulla porta 80.',
      },
      verification: {
        subject: 'Conferma il tuo indirizzo email per {project}',
        intro: 'Conferma che questo indirizzo email è tuo aprendo il link qui sotto.',
        action: 'Conferma email',
        outro: 'Se non hai creato un account su {project}, puoi ignorare questo messaggio.',
      },
      recovery: {
        subject: 'Reimposta la password di {project}',
        intro: 'Abbiamo ricevuto una richiesta di reimpostare la password del tuo account {project}. Usa il link qui sotto per sceglierne una nuova.',
        action: 'Reimposta password',
        outro: 'Se non hai chiesto una nuova password, ignora questo messaggio: la tua password resta invariata.',
      },
      magicSession: {
        subject: 'Il tuo link di accesso a {project}',
        intro: 'Usa il link qui sotto per accedere a {project}, senza password.',
        action: 'Accedi',
        outro: 'Se non hai provato ad accedere, puoi ignorare questo messaggio.',
      },
      invitation: {
        subject: 'Invito a unirti a {team} su {project}',
        intro: '{inviter} ti ha invitato a entrare nel team {team} su {project}.',
        action: 'Accetta invito',
        outro: 'Se non aspettavi questo invito, puoi ignorare questo messaggio.',
      },
    },
  },
};
