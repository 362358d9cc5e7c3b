//! The command line's arguments (clap): every command, its flags and their parsers. What each
//! command does is in the parent module.

use clap::{Parser, Subcommand};

use crate::domain::Role;
use crate::domain::procedure::CampaignKind;

/// Telemercadeo: contact center de telemercadeo (GF-MK-PR-01). Sin subcomando abre la ventana.
#[derive(Debug, Parser)]
#[command(name = "telemercadeo", version)]
pub struct Cli {
    /// Base de datos: ruta de un archivo SQLite o URL postgres:// (por defecto, el archivo del usuario).
    #[arg(long, global = true, env = "TELEMERCADEO_DB", value_name = "DESTINO")]
    pub db: Option<String>,
    /// Imprime exactamente un objeto o arreglo JSON en la salida estándar.
    #[arg(long, global = true)]
    pub json: bool,
    /// Idioma de los mensajes: es (por defecto) o en.
    #[arg(long, global = true, value_parser = ["es", "en"], default_value = "es")]
    pub lang: String,
    /// Qué hacer; sin subcomando se abre la ventana.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Usuarios: agregar, cambiar contraseña, listar.
    User {
        /// Qué hacer con los usuarios.
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Campañas: crear, listar, iniciar, pausar, cerrar.
    Campaign {
        /// Qué hacer con las campañas.
        #[command(subcommand)]
        cmd: CampaignCmd,
    },
    /// Carga una base de contactos (CSV, XLSX, XLS, ODS) en una campaña.
    Import {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
        /// El archivo.
        file: std::path::PathBuf,
        /// Hoja del libro (por defecto, la primera con encabezado reconocible).
        #[arg(long)]
        sheet: Option<String>,
        /// Cómo se detectan duplicados: por teléfono (por defecto) o por documento.
        #[arg(long, value_parser = ["phone", "document"], default_value = "phone")]
        dedupe: String,
        /// De dónde viene la base (Ley 1581).
        #[arg(long, default_value = "")]
        origin: String,
        /// Finalidad del tratamiento (Ley 1581).
        #[arg(long, default_value = "")]
        purpose: String,
        /// Referencia de la autorización de los titulares (Ley 1581).
        #[arg(long, default_value = "")]
        authorization: String,
        /// Completa los fijos de 7 dígitos con el indicativo de la ciudad de la fila.
        #[arg(long)]
        complete_landlines: bool,
    },
    /// Registro de exclusión (personas que no desean ser contactadas).
    Optout {
        /// Qué hacer con el registro.
        #[command(subcommand)]
        cmd: OptoutCmd,
    },
    /// Asigna los contactos sin auxiliar de una campaña.
    Distribute {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
        /// Auxiliares (logins separados por coma); por defecto, los de la campaña o todos los activos.
        #[arg(long, value_delimiter = ',')]
        agents: Vec<String>,
        /// Pesos (porcentajes o capacidades), uno por auxiliar.
        #[arg(long, value_delimiter = ',')]
        weights: Vec<f64>,
        /// Orden: en bloques (por defecto) o intercalado.
        #[arg(long, value_parser = ["blocks", "interleaved"], default_value = "blocks")]
        order: String,
    },
    /// Mueve los contactos pendientes de un(a) auxiliar a otros.
    Redistribute {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
        /// Auxiliar que entrega sus pendientes.
        #[arg(long)]
        from: String,
        /// Auxiliares que reciben (por defecto, los demás de la campaña).
        #[arg(long, value_delimiter = ',')]
        to: Vec<String>,
        /// Mueve también las llamadas agendadas.
        #[arg(long)]
        with_callbacks: bool,
    },
    /// Llamadas: el siguiente contacto de un(a) auxiliar.
    Call {
        /// Qué hacer.
        #[command(subcommand)]
        cmd: CallCmd,
    },
    /// Los festivos de un año tal como el programa los aplica (calculados, con los cambios de la configuración).
    Holidays {
        /// El año, AAAA.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1583..=9999))]
        year: i32,
    },
    /// Los indicadores de una campaña (registros, gestionados, barrido, contactabilidad,
    /// efectividad, rendimiento, marcaciones, TMO…) y sus desgloses (resultados, motivos, días,
    /// franjas, auxiliares, programas, ciudades, encuesta, entrantes), de toda la campaña o de
    /// unas fechas; sin --campaign, de todas las campañas.
    Indicators {
        /// La campaña (su id); sin ella, todas las campañas.
        #[arg(long)]
        campaign: Option<i64>,
        /// Solo las llamadas de este(a) auxiliar (su usuario).
        #[arg(long, value_name = "USUARIO")]
        agent: Option<String>,
        /// Desde este día (AAAA-MM-DD), incluido.
        #[arg(long, value_name = "AAAA-MM-DD")]
        from: Option<chrono::NaiveDate>,
        /// Hasta este día (AAAA-MM-DD), incluido.
        #[arg(long, value_name = "AAAA-MM-DD")]
        to: Option<chrono::NaiveDate>,
    },
    /// Revisa integridad, llaves foráneas y versión del esquema (sale con 1 si hay problemas).
    Check,
    /// Llena una base vacía con datos de demostración.
    Demo,
    /// El consolidado semanal (o el reporte de un(a) auxiliar con --agent) en un archivo XLSX.
    Weekly {
        /// La semana ISO, AAAA-Www (p. ej. 2026-W48).
        #[arg(long, value_name = "AAAA-Www")]
        week: crate::domain::weekly::IsoWeek,
        /// El archivo XLSX que se escribe.
        #[arg(long, value_name = "ARCHIVO.xlsx")]
        out: std::path::PathBuf,
        /// Solo las cifras de este(a) auxiliar (su reporte semanal).
        #[arg(long, value_name = "LOGIN")]
        agent: Option<String>,
    },
    /// Correo saliente: envía lo pendiente por SMTP o lo lista.
    Outbox {
        /// Qué hacer.
        #[command(subcommand)]
        cmd: OutboxCmd,
    },
}

/// `outbox …`
#[derive(Debug, Subcommand)]
pub enum OutboxCmd {
    /// Envía una vez los mensajes que ya tocan (contraseña del servidor en TELEMERCADEO_SMTP_PASSWORD o en el llavero del sistema); sale con 3 si no hay servidor configurado.
    Send,
    /// Lista los mensajes, del más reciente al más antiguo.
    List {
        /// Solo los de este estado: pendiente | enviado | fallido.
        #[arg(long, value_parser = parse_outbox_status)]
        status: Option<crate::domain::inbound::OutboxStatus>,
    },
}

fn parse_outbox_status(s: &str) -> Result<crate::domain::inbound::OutboxStatus, String> {
    crate::domain::inbound::OutboxStatus::from_code(s)
        .ok_or_else(|| "pendiente | enviado | fallido".to_owned())
}

/// `user …`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Agrega un usuario; la contraseña viene de TELEMERCADEO_PASSWORD o de la entrada estándar.
    Add {
        /// Nombre de usuario (minúsculas, números, . _ -).
        #[arg(long)]
        login: String,
        /// Nombre completo.
        #[arg(long)]
        name: String,
        /// Rol: jefe, profesional, auxiliar o solicitante.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Dependencia (obligatoria para solicitantes; se crea si no existe).
        #[arg(long)]
        department: Option<String>,
    },
    /// Pone una contraseña nueva (el camino de vuelta cuando el único jefe la olvida).
    Passwd {
        /// Nombre de usuario.
        #[arg(long)]
        login: String,
    },
    /// Lista los usuarios.
    List,
}

/// `campaign …`
#[derive(Debug, Subcommand)]
pub enum CampaignCmd {
    /// Crea una campaña (y su solicitud, marcada como creada desde la línea de comandos).
    Create {
        /// Nombre de la campaña.
        #[arg(long)]
        name: String,
        /// Dependencia solicitante (se crea si no existe).
        #[arg(long)]
        department: String,
        /// Tipo: congreso, evento, encuesta, inscripciones, matriculas, reingresos u otro.
        #[arg(long, value_parser = parse_kind, default_value = "otro")]
        kind: CampaignKind,
        /// Fecha de inicio, AAAA-MM-DD.
        #[arg(long, value_parser = parse_iso_date, requires = "end")]
        start: Option<String>,
        /// Fecha de finalización, AAAA-MM-DD.
        #[arg(long, value_parser = parse_iso_date, requires = "start")]
        end: Option<String>,
    },
    /// Lista las campañas.
    List,
    /// Inicia (o reanuda) una campaña: necesita guion publicado, contactos y la base distribuida.
    Start {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
    },
    /// Pausa una campaña activa.
    Pause {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
    },
    /// Cierra una campaña.
    Close {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
    },
}

/// `call …`
#[derive(Debug, Subcommand)]
pub enum CallCmd {
    /// Toma el siguiente contacto de la cola del/de la auxiliar (sale con 3 si ahora no se puede llamar a nadie).
    Next {
        /// Id de la campaña.
        #[arg(long)]
        campaign: i64,
        /// Usuario del/de la auxiliar por quien actúa la línea de comandos.
        #[arg(long)]
        agent: String,
    },
    /// Registra el resultado de una llamada a un contacto del/de la auxiliar.
    Record(RecordArgs),
}

/// `call record …`
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// Id de la campaña.
    #[arg(long)]
    pub campaign: i64,
    /// Usuario del/de la auxiliar por quien actúa la línea de comandos.
    #[arg(long)]
    pub agent: String,
    /// Id del contacto (el que dio `call next`).
    #[arg(long)]
    pub contact: i64,
    /// Resultado: la tecla (dígito) o el código de la tipificación.
    #[arg(long)]
    pub outcome: String,
    /// Motivo codificado (p. ej. de «No interesado»).
    #[arg(long)]
    pub reason: Option<String>,
    /// Notas.
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Fecha y hora de la nueva llamada, hora local: "AAAA-MM-DD HH:MM".
    #[arg(long)]
    pub callback: Option<String>,
    /// Duración de la llamada en segundos.
    #[arg(long, default_value_t = 0)]
    pub duration: i64,
    /// Respuestas de la encuesta: un objeto JSON, id de la pregunta → respuesta
    /// (p. ej. '{"1": "Sí", "2": 4}'); las obligatorias, cuando se habló con la persona.
    #[arg(long)]
    pub answers: Option<String>,
}

/// `optout …`
#[derive(Debug, Subcommand)]
pub enum OptoutCmd {
    /// Agrega al registro los teléfonos de un archivo (p. ej. el Registro de Números Excluidos).
    Import {
        /// El archivo.
        file: std::path::PathBuf,
        /// De dónde vienen los números.
        #[arg(long, default_value = "")]
        source: String,
    },
}

fn parse_kind(s: &str) -> Result<CampaignKind, String> {
    CampaignKind::from_code(s).ok_or_else(|| {
        "congreso | evento | encuesta | inscripciones | matriculas | reingresos | otro".to_owned()
    })
}

fn parse_iso_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| "AAAA-MM-DD".to_owned())
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_code(s).ok_or_else(|| "jefe | profesional | auxiliar | solicitante".to_owned())
}
