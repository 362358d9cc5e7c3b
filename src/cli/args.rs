//! The command line's arguments (clap): every command, its flags and their parsers. What each
//! command does is in the parent module.

use clap::{Parser, Subcommand};

use crate::domain::Role;
use crate::domain::enrolment::Stage;
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
    /// Listas del sistema académico (inscritos, admitidos, matriculados), para la conversión real.
    Enrolments {
        /// Qué hacer con las listas.
        #[command(subcommand)]
        cmd: EnrolmentsCmd,
    },
    /// La conversión real de una campaña: sus registros que se inscribieron o matricularon, en
    /// total, por auxiliar y por programa, junto al interés que registraron los auxiliares.
    Conversion {
        /// La campaña (su id).
        #[arg(long)]
        campaign: i64,
    },
    /// Los contactos que los auxiliares marcaron como interesados, con sus notas (lo que la
    /// dependencia solicitante ve mientras corre la campaña); con --out, a un Excel.
    Interested {
        /// La campaña (su id).
        #[arg(long)]
        campaign: i64,
        /// El archivo .xlsx donde guardarlos.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Los indicadores del proceso (ISO 9001 9.1): solicitudes a tiempo y extemporáneas,
    /// no conformidades encontradas, cerradas y abiertas.
    Process {
        /// Desde este día (AAAA-MM-DD), incluido.
        #[arg(long, value_name = "AAAA-MM-DD")]
        from: Option<chrono::NaiveDate>,
        /// Hasta este día (AAAA-MM-DD), incluido.
        #[arg(long, value_name = "AAAA-MM-DD")]
        to: Option<chrono::NaiveDate>,
    },
    /// El registro de no conformidades del proceso (ISO 9001 10.2).
    Nonconformity {
        /// Qué hacer con el registro.
        #[command(subcommand)]
        cmd: NonconformityCmd,
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
    /// Revisa integridad, llaves foráneas, versión del esquema y las huellas (SHA-256) del
    /// archivo de registros (sale con 1 si hay problemas). Con --file revisa una copia de
    /// seguridad sin modificarla.
    Check {
        /// Una copia de seguridad para revisar (se abre inmutable: no se cambia ni un byte).
        #[arg(long, value_name = "COPIA")]
        file: Option<std::path::PathBuf>,
    },
    /// Copia de seguridad consistente de la base (un archivo SQLite), aun con el programa en uso.
    Backup {
        /// El archivo que se escribe (se escribe con un nombre temporal y se renombra al final).
        #[arg(long, value_name = "ARCHIVO")]
        out: std::path::PathBuf,
    },
    /// Restaura la base desde una copia de seguridad, tras revisarla (se niega si otros
    /// puestos tienen la base abierta). La base actual se copia antes al lado.
    Restore {
        /// La copia de seguridad.
        #[arg(long, value_name = "COPIA")]
        from: std::path::PathBuf,
        /// Confirma la restauración (sin esto solo se revisa la copia y se dice qué pasaría).
        #[arg(long)]
        yes: bool,
    },
    /// Recalcula desde los contactos y las llamadas los conteos que leen los tableros
    /// (Indicadores); se guardan solos con cada llamada e importación: esto los repara si la
    /// base se cambió a mano.
    Recount,
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
    /// El informe de resultados de una campaña: .xlsx, .pdf o .csv (una fila por contacto).
    Report {
        /// La campaña (su id).
        #[arg(long)]
        campaign: i64,
        /// El archivo que se escribe; el formato sale de la extensión (.xlsx, .pdf, .csv).
        #[arg(long, value_name = "ARCHIVO")]
        out: std::path::PathBuf,
    },
    /// Documentos de la solicitud (brief): el PDF de una solicitud o la plantilla Excel.
    Brief {
        /// Qué documento.
        #[command(subcommand)]
        cmd: BriefCmd,
    },
}

/// `brief …`
#[derive(Debug, Subcommand)]
pub enum BriefCmd {
    /// El PDF de una solicitud (registro GF-MK-PR-01-01), como «Imprimir» en la ventana.
    Pdf {
        /// La solicitud (su id).
        #[arg(long)]
        brief: i64,
        /// El archivo PDF que se escribe.
        #[arg(long, value_name = "ARCHIVO.pdf")]
        out: std::path::PathBuf,
    },
    /// La plantilla Excel de la solicitud, para llenarla y cargarla.
    Template {
        /// El archivo XLSX que se escribe.
        #[arg(long, value_name = "ARCHIVO.xlsx")]
        out: std::path::PathBuf,
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

/// `enrolments …`
#[derive(Debug, Subcommand)]
pub enum EnrolmentsCmd {
    /// Carga la lista del sistema académico (documento, correo o teléfono, programa, fecha,
    /// estado) y la cruza con los contactos de las campañas: por documento, teléfono y correo.
    Import {
        /// El archivo (CSV o Excel).
        file: std::path::PathBuf,
        /// La etapa de las filas sin columna de estado: inscrito | admitido | matriculado.
        #[arg(long, default_value = "matriculado", value_parser = parse_stage)]
        stage: Stage,
    },
}

/// `nonconformity …`
#[derive(Debug, Subcommand)]
pub enum NonconformityCmd {
    /// Las no conformidades: abiertas primero.
    List,
    /// Anota una no conformidad.
    Add {
        /// Qué pasó.
        #[arg(long)]
        finding: String,
        /// Quién responde por la acción.
        #[arg(long)]
        responsible: String,
        /// El día en que se encontró (DD/MM/AAAA o AAAA-MM-DD).
        #[arg(long)]
        found: String,
        /// La causa.
        #[arg(long, default_value = "")]
        cause: String,
        /// La acción tomada.
        #[arg(long, default_value = "")]
        action: String,
    },
    /// Cierra una no conformidad: con su causa y la acción tomada.
    Close {
        /// Su número.
        #[arg(long)]
        id: i64,
        /// El día del cierre (DD/MM/AAAA o AAAA-MM-DD).
        #[arg(long)]
        closed: String,
        /// La causa (si no estaba escrita).
        #[arg(long)]
        cause: Option<String>,
        /// La acción tomada (si no estaba escrita).
        #[arg(long)]
        action: Option<String>,
    },
}

fn parse_stage(s: &str) -> Result<Stage, String> {
    Stage::from_code(s).ok_or_else(|| "inscrito | admitido | matriculado".to_owned())
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
