// Word lists for the demo data: the people, businesses and places a Colombian lending CRM sees.

export const FIRST_NAMES = [
  'Juan Carlos', 'María Fernanda', 'Andrés', 'Valentina', 'Luis Fernando', 'Daniela', 'Carlos Andrés',
  'Laura', 'Jorge Iván', 'Camila', 'Diego', 'Natalia', 'Santiago', 'Paola Andrea', 'Felipe', 'Juliana',
  'Óscar', 'Luz Marina', 'Alejandro', 'Sandra Milena', 'Jhon Jairo', 'Ana María', 'Wilson', 'Diana Carolina',
  'Sebastián', 'Mónica', 'Hernán', 'Gloria Inés', 'Mauricio', 'Yeimy', 'Fabio', 'Claudia Patricia',
  'Julián', 'Marcela', 'Édgar', 'Lina María', 'Germán', 'Isabel Cristina', 'Nelson', 'Adriana'
] as const

export const LAST_NAMES = [
  'Rodríguez', 'Gómez', 'González', 'Martínez', 'García', 'López', 'Hernández', 'Sánchez', 'Ramírez',
  'Pérez', 'Díaz', 'Muñoz', 'Rojas', 'Moreno', 'Jiménez', 'Vargas', 'Castro', 'Ortiz', 'Restrepo',
  'Osorio', 'Cardona', 'Quintero', 'Zapata', 'Giraldo', 'Valencia', 'Arango', 'Mejía', 'Ospina',
  'Londoño', 'Salazar', 'Cárdenas', 'Ríos', 'Bermúdez', 'Patiño', 'Peña', 'Suárez', 'Acosta', 'Barrios'
] as const

export const BUSINESS_KINDS = [
  { kind: 'Tienda', sector: 'comercio_minorista' },
  { kind: 'Droguería', sector: 'salud' },
  { kind: 'Ferretería', sector: 'construccion' },
  { kind: 'Panadería', sector: 'alimentos' },
  { kind: 'Minimercado', sector: 'comercio_minorista' },
  { kind: 'Papelería', sector: 'comercio_minorista' },
  { kind: 'Distribuidora', sector: 'mayorista' },
  { kind: 'Restaurante', sector: 'alimentos' },
  { kind: 'Cacharrería', sector: 'comercio_minorista' },
  { kind: 'Frutería', sector: 'alimentos' },
  { kind: 'Taller', sector: 'servicios' },
  { kind: 'Comercializadora', sector: 'mayorista' },
  { kind: 'Confecciones', sector: 'textil' },
  { kind: 'Agropecuaria', sector: 'agro' }
] as const

export const BUSINESS_NAMES = [
  'El Progreso', 'La Esperanza', 'San José', 'El Paisa', 'La Bendición', 'Doña Rosa', 'El Vecino',
  'Don Chepe', 'La Económica', 'Los Andes', 'El Porvenir', 'La Sabana', 'El Tesoro', 'Santa Marta',
  'La 14', 'El Mana', 'Villa Real', 'La Floresta', 'El Triunfo', 'Nueva Granada', 'El Llanero', 'La Costeña'
] as const

/** Legal forms; the weights make S.A.S. and persona natural the common ones, as they are. */
export const BUSINESS_ENTITIES = [
  { entity: 'S.A.S.', weight: 55 },
  { entity: 'Persona natural', weight: 30 },
  { entity: 'Ltda.', weight: 8 },
  { entity: 'S.A.', weight: 5 },
  { entity: 'S. en C.', weight: 2 }
] as const

export const CITIES = [
  { city: 'Bogotá', department: 'Bogotá D.C.', neighborhoods: ['Chapinero', 'Kennedy', 'Suba', 'Usaquén', 'Fontibón', 'Engativá'] },
  { city: 'Medellín', department: 'Antioquia', neighborhoods: ['Laureles', 'El Poblado', 'Belén', 'Robledo', 'Castilla'] },
  { city: 'Cali', department: 'Valle del Cauca', neighborhoods: ['San Fernando', 'Granada', 'El Ingenio', 'Siloé'] },
  { city: 'Barranquilla', department: 'Atlántico', neighborhoods: ['El Prado', 'Boston', 'Riomar', 'La Victoria'] },
  { city: 'Cartagena', department: 'Bolívar', neighborhoods: ['Manga', 'Bocagrande', 'El Bosque', 'Crespo'] },
  { city: 'Bucaramanga', department: 'Santander', neighborhoods: ['Cabecera', 'San Francisco', 'La Concordia'] },
  { city: 'Pereira', department: 'Risaralda', neighborhoods: ['Álamos', 'Cuba', 'Centro'] },
  { city: 'Manizales', department: 'Caldas', neighborhoods: ['Chipre', 'La Enea', 'Palermo'] },
  { city: 'Cúcuta', department: 'Norte de Santander', neighborhoods: ['La Ceiba', 'Caobos', 'Atalaya'] },
  { city: 'Ibagué', department: 'Tolima', neighborhoods: ['Cádiz', 'El Jordán', 'Picaleña'] },
  { city: 'Santa Marta', department: 'Magdalena', neighborhoods: ['El Rodadero', 'Bastidas', 'Pescaíto'] },
  { city: 'Villavicencio', department: 'Meta', neighborhoods: ['Barzal', 'La Esperanza', 'Porfía'] },
  { city: 'Pasto', department: 'Nariño', neighborhoods: ['Las Cuadras', 'Pandiaco', 'Centro'] },
  { city: 'Montería', department: 'Córdoba', neighborhoods: ['La Castellana', 'El Recreo', 'Centro'] }
] as const

export const STREET_TYPES = ['Calle', 'Carrera', 'Avenida Calle', 'Avenida Carrera', 'Transversal', 'Diagonal'] as const

/** Colombian mobile prefixes (Claro, Movistar, Tigo, WOM and others) */
export const MOBILE_PREFIXES = [
  '300', '301', '302', '304', '305', '310', '311', '312', '313', '314', '315', '316', '317', '318',
  '319', '320', '321', '322', '323', '324', '350', '351'
] as const

export const EMAIL_DOMAINS = ['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com', 'une.net.co'] as const

/** Where a lead is in the credit funnel, weighted like a live pipeline. */
export const STATUSES = [
  { status: 'new', weight: 20 },
  { status: 'contacted', weight: 18 },
  { status: 'documents_pending', weight: 14 },
  { status: 'in_review', weight: 12 },
  { status: 'approved', weight: 14 },
  { status: 'disbursed', weight: 10 },
  { status: 'rejected', weight: 8 },
  { status: 'inactive', weight: 4 }
] as const

export const BANKS = [
  'Bancolombia', 'Banco de Bogotá', 'Davivienda', 'BBVA Colombia', 'Banco de Occidente',
  'Banco Popular', 'Banco Caja Social', 'Nequi', 'Daviplata', 'Banco Agrario'
] as const

export const PAYMENT_METHODS = ['PSE', 'transferencia', 'efectivo_corresponsal', 'debito_automatico', 'Nequi'] as const

export const LEAD_SOURCES = ['referido', 'whatsapp', 'pagina_web', 'asesor_en_campo', 'facebook_ads', 'feria_comercial'] as const

export const CHANNELS = ['whatsapp', 'llamada', 'correo', 'visita'] as const

export const AGENTS = ['Katherine Mora', 'Brayan Silva', 'Leidy Cortés', 'Cristian Parra', 'Tatiana Roa'] as const

export const NOTES = [
  'Cliente interesado en cupo para inventario de fin de año',
  'Envió RUT y cámara de comercio',
  'Solicita llamada después de las 5 p. m.',
  'Pendiente extracto bancario de los últimos 3 meses',
  'Referido por la distribuidora',
  'Quiere ampliar el cupo actual',
  'No contestó, se deja mensaje por WhatsApp'
] as const

// The look-alikes a conformance recording puts in place of real names. None of them is in the
// lists above, so a recording of demo or generated data never gets a name back that it held.

export const STAND_IN_FIRST_NAMES = [
  'Alba Lucía', 'Yolanda', 'Rubén Darío', 'Esperanza', 'Álvaro', 'Martha Cecilia', 'John Fredy', 'Yurany',
  'Harold', 'Doris', 'Orlando', 'Nubia', 'Fredy Alberto', 'Yesenia', 'Edwin', 'Maribel', 'Gustavo Adolfo',
  'Ángela', 'Robinson', 'Yuliana', 'Héctor Manuel', 'Marleny', 'William', 'Dora Elena', 'Jaime', 'Stella',
  'Albeiro', 'Piedad', 'Ricardo', 'Viviana', 'Rodrigo', 'Eliana', 'Humberto', 'Johana', 'Arley', 'Rocío',
  'Efraín', 'Liliana', 'Giovanny', 'Maritza'
] as const

export const STAND_IN_LAST_NAMES = [
  'Agudelo', 'Betancur', 'Builes', 'Cuartas', 'Duque', 'Echeverri', 'Franco', 'Gaviria', 'Henao', 'Isaza',
  'Jaramillo', 'Lopera', 'Marín', 'Montoya', 'Naranjo', 'Ochoa', 'Posada', 'Quiroz', 'Rendón', 'Sierra',
  'Tobón', 'Uribe', 'Velásquez', 'Yepes', 'Zuluaga', 'Álvarez', 'Bedoya', 'Correa', 'Escobar', 'Flórez',
  'Galeano', 'Hoyos', 'Llano', 'Mesa', 'Nieto', 'Orozco', 'Palacio', 'Rincón', 'Serna', 'Toro'
] as const

export const STAND_IN_BUSINESS_NAMES = [
  'La Cosecha', 'El Girasol', 'Buena Vista', 'La Ceiba', 'El Samán', 'Mi Pueblo', 'La Montaña', 'El Cafetal',
  'La Palma', 'Tres Esquinas', 'El Arriero', 'La Guadua', 'Los Cerros', 'El Mirador', 'La Orquídea', 'El Yarumo'
] as const
